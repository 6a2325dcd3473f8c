// Shared bits of the namespace tests: skipping where labs cannot run, and
// the fixture topology.
#ifndef GRID_TESTS_LAB_LAB_TEST_UTIL_H_
#define GRID_TESTS_LAB_LAB_TEST_UTIL_H_

#include "gtest/gtest.h"
#include "tests/lab/lab.h"

// Skips the test unless root and `ip netns` work.
#define GRID_LAB_REQUIRE()                                       \
  do {                                                           \
    if (absl::Status s = ::grid::lab::Lab::Available(); !s.ok()) \
      GTEST_SKIP() << "lab unavailable: " << s.message();        \
  } while (0)

namespace grid::lab {

// X - a1 - a2 - core - sr - S and Y - b1 - b2 - core.
inline Topology FixtureTopology() {
  return TopologyBuilder()
      .Host("X")
      .Host("Y")
      .Host("S")
      .Router("a1")
      .Router("a2")
      .Router("b1")
      .Router("b2")
      .Router("core")
      .Router("sr")
      .Link("a1", "X")
      .Link("a1", "a2")
      .Link("a2", "core")
      .Link("b1", "Y")
      .Link("b1", "b2")
      .Link("b2", "core")
      .Link("core", "sr")
      .Link("sr", "S")
      .Build();
}

// A - r - B: the smallest routed path.
inline Topology LineTopology() {
  return TopologyBuilder()
      .Host("A")
      .Router("r")
      .Host("B")
      .Link("A", "r")
      .Link("r", "B")
      .Build();
}

}  // namespace grid::lab

#endif  // GRID_TESTS_LAB_LAB_TEST_UTIL_H_
