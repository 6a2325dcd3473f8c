#include "bench/ingest/raw_loop.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/keys.h"

namespace grid::bench {

double RawWriteBatchRate(const std::string& path,
                         const std::vector<v1::CycleResult>& records, int batch,
                         bool sync) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.keep_log_file_num = 4;
  db_options.max_background_jobs = 2;
  rocksdb::ColumnFamilyOptions hop_options;
  hop_options.write_buffer_size = 64 << 20;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors = {
      {"default", rocksdb::ColumnFamilyOptions()},
      {"hop_results", hop_options}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(db_options, path, descriptors, &handles, &db);
  if (!s.ok()) {
    std::fprintf(stderr, "raw WriteBatch loop: %s\n", s.ToString().c_str());
    return -1;
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = sync;
  const size_t step = std::max(batch, 1);
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < records.size() && s.ok(); i += step) {
    rocksdb::WriteBatch wb;
    for (size_t j = i; j < std::min(records.size(), i + step); ++j) {
      const v1::CycleResult& r = records[j];
      wb.Put(handles[1],
             storage::EncodeHopResultKey(
                 {r.job_id(), storage::ProbeId(r.probe_name()),
                  static_cast<uint8_t>(r.direction()), r.cycle()}),
             r.SerializeAsString());
    }
    s = db->Write(write_options, &wb);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  delete db;
  if (!s.ok()) {
    std::fprintf(stderr, "raw WriteBatch loop: %s\n", s.ToString().c_str());
    return -1;
  }
  return records.size() / seconds;
}

}  // namespace grid::bench
