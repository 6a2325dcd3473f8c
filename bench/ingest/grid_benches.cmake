# The grid's end-to-end benchmarks (included from CMakeLists.txt here):
# gRPC ingest from simulated probes vs a RocksDB loop, and 1,000 probes on
# one coordinator.
# The baseline both ingest benchmarks measure against.
add_library(grid_ingest_baseline STATIC raw_loop.cc)
target_include_directories(grid_ingest_baseline PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(grid_ingest_baseline
  PUBLIC grid_proto PRIVATE grid_storage RocksDB::rocksdb-shared)

add_library(grid_sim_probe STATIC sim_probe.cc)
target_include_directories(grid_sim_probe PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(grid_sim_probe
  PUBLIC grid_proto gRPC::grpc++ absl::synchronization absl::time)

add_executable(grid-grpc-ingest-bench grpc_ingest_bench.cc)
target_link_libraries(grid-grpc-ingest-bench
  PRIVATE grid_sim_probe grid_ingest_baseline grid_coordinator grid_storage
          RocksDB::rocksdb-shared CLI11::CLI11 absl::strings)

add_executable(grid-scale-bench scale_bench.cc)
target_link_libraries(grid-scale-bench
  PRIVATE grid_sim_probe CLI11::CLI11 absl::strings)
add_dependencies(grid-scale-bench grid-coordinator)
target_compile_definitions(grid-scale-bench PRIVATE
  GRID_COORDINATOR_BIN="$<TARGET_FILE:grid-coordinator>")
