# The grid end to end in the lab (grid_e2e_test.cc): real coordinator,
# probes and CLI. Included from tests/lab/CMakeLists.txt.
if(TARGET grid AND TARGET grid-coordinator AND TARGET grid-probe)
  add_executable(grid_e2e_test grid_e2e_test.cc)
  target_link_libraries(grid_e2e_test
    PRIVATE grid_lab grid_test_main nlohmann_json::nlohmann_json)
  add_dependencies(grid_e2e_test grid grid-coordinator grid-probe
                   grid-lab-delay)
  target_compile_definitions(grid_e2e_test PRIVATE
    GRID_BIN="$<TARGET_FILE:grid>"
    GRID_COORDINATOR_BIN="$<TARGET_FILE:grid-coordinator>"
    GRID_PROBE_BIN="$<TARGET_FILE:grid-probe>")
  gtest_discover_tests(grid_e2e_test
    PROPERTIES LABELS lab RUN_SERIAL TRUE TIMEOUT 900
    DISCOVERY_TIMEOUT 30)
endif()
