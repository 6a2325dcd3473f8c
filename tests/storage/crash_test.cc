// No acknowledged write is lost when the writing process is SIGKILLed.
//
// A forked child opens the store and ingests batches of cycle results in a
// loop; after each PutCycleResults returns OK it reports the batch number
// through a pipe (an "ack"). The parent kills it with SIGKILL after a
// seeded-random number of acks, reopens the store and checks that every
// acknowledged batch is present and intact, and that every batch (acked
// or not) is all-or-nothing. Several rounds append to the same database,
// so recovery also runs over a WAL left by an earlier crash.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storage/storage.h"
#include "tests/storage/storage_test_util.h"

namespace grid::storage {
namespace {

using testing::MakeCycleResult;
using testing::ProtoEquals;
using testing::TempDir;

constexpr int kBatchSize = 4;
constexpr int kRounds = 3;

// Batch `batch` of round `round`: job (round+1) * 1'000'000 + batch, one
// result per direction and probe. Contents are deterministic.
std::vector<v1::CycleResult> Batch(int round, uint64_t batch) {
  const uint64_t job = static_cast<uint64_t>(round + 1) * 1'000'000 + batch;
  std::vector<v1::CycleResult> results;
  for (const char* probe : {"x", "y"}) {
    for (v1::Direction d : {v1::DIRECTION_FORWARD, v1::DIRECTION_RETURN}) {
      results.push_back(MakeCycleResult(job, probe, d, 0));
    }
  }
  return results;
}

bool WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// The child: never returns. Exit codes other than death by SIGKILL mean
// the writer failed.
[[noreturn]] void RunWriter(const std::string& path, int round, int ack_fd) {
  StorageOptions options;
  options.path = path;  // Default durability: kProcessCrash.
  auto storage = Storage::Open(options);
  if (!storage.ok()) _exit(2);
  for (uint64_t batch = 0;; ++batch) {
    const std::vector<v1::CycleResult> results = Batch(round, batch);
    if (!(*storage)->PutCycleResults(results).ok()) _exit(3);
    // Acknowledge only after the write returned OK.
    if (!WriteAll(ack_fd, &batch, sizeof(batch))) _exit(4);
  }
}

// Reads acks until `want` were seen, EOF, or a 30 s silence. Returns them.
std::vector<uint64_t> ReadAcks(int fd, size_t want) {
  std::vector<uint64_t> acks;
  uint64_t value = 0;
  size_t have = 0;  // Bytes of `value` read so far.
  while (want == 0 || acks.size() < want) {
    pollfd pfd{fd, POLLIN, 0};
    const int ready = poll(&pfd, 1, 30000);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    const ssize_t n =
        read(fd, reinterpret_cast<char*>(&value) + have, sizeof(value) - have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    have += static_cast<size_t>(n);
    if (have == sizeof(value)) {
      acks.push_back(value);
      have = 0;
    }
  }
  return acks;
}

TEST(StorageCrash, AcknowledgedResultsSurviveSigkill) {
  TempDir dir;
  const std::string path = dir.Sub("db");
  std::mt19937 rng(4242);
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      RunWriter(path, round, fds[1]);
    }
    close(fds[1]);

    // Kill mid-ingest, after a random number of acknowledged batches.
    const size_t kill_after = 200 + rng() % 1500;
    std::vector<uint64_t> acks = ReadAcks(fds[0], kill_after);
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int wstatus = 0;
    ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
        << "writer ended otherwise (exit " << WEXITSTATUS(wstatus) << ") after "
        << acks.size() << " acks";
    // Acks sent before death are still in the pipe.
    for (uint64_t a : ReadAcks(fds[0], 0)) acks.push_back(a);
    close(fds[0]);
    ASSERT_GE(acks.size(), kill_after);
    for (size_t i = 0; i < acks.size(); ++i) ASSERT_EQ(acks[i], i);

    StorageOptions options;
    options.path = path;
    auto storage = Storage::Open(options);
    ASSERT_TRUE(storage.ok()) << storage.status();
    // Every acknowledged batch is there, byte for byte.
    for (uint64_t batch : acks) {
      const std::vector<v1::CycleResult> want = Batch(round, batch);
      auto got = (*storage)->GetCycleResults(want[0].job_id());
      ASSERT_TRUE(got.ok()) << got.status();
      ASSERT_EQ(got->size(), want.size()) << "acked batch " << batch << " lost";
      for (const v1::CycleResult& r : *got) {
        EXPECT_TRUE(ProtoEquals(r, MakeCycleResult(r.job_id(), r.probe_name(),
                                                   r.direction(), r.cycle())));
      }
    }
    // Batches after the last ack: whole or absent, and never a gap
    // followed by a later batch (the WAL is replayed as a prefix).
    bool absent_seen = false;
    for (uint64_t batch = acks.size(); batch < acks.size() + 64; ++batch) {
      const std::vector<v1::CycleResult> want = Batch(round, batch);
      auto got = (*storage)->GetCycleResults(want[0].job_id());
      ASSERT_TRUE(got.ok()) << got.status();
      ASSERT_TRUE(got->empty() || got->size() == want.size())
          << "batch " << batch << " partly written: " << got->size();
      if (got->empty()) absent_seen = true;
      EXPECT_FALSE(absent_seen && !got->empty()) << "batch " << batch;
    }
    EXPECT_TRUE(absent_seen);
    std::cerr << "round " << round << ": killed after " << acks.size()
              << " acknowledged batches, all present\n";
  }
}

}  // namespace
}  // namespace grid::storage
