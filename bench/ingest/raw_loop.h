// The ingest benchmarks' baseline: a plain RocksDB WriteBatch loop writing
// CycleResults with the storage's key encoding and hop_results column
// family options (WAL on, written through), on one thread.
#ifndef GRID_BENCH_INGEST_RAW_LOOP_H_
#define GRID_BENCH_INGEST_RAW_LOOP_H_

#include <string>
#include <vector>

#include "grid/v1/model.pb.h"

namespace grid::bench {

// Writes `records` into a fresh database at `path`, `batch` per WriteBatch
// (fsync'ed when `sync`), and returns results per second; -1 after printing
// the RocksDB error to stderr.
double RawWriteBatchRate(const std::string& path,
                         const std::vector<v1::CycleResult>& records, int batch,
                         bool sync);

}  // namespace grid::bench

#endif  // GRID_BENCH_INGEST_RAW_LOOP_H_
