#include "bench/probe/bench_run.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "probe-node/prober.h"

namespace grid::bench {
namespace {

absl::Duration FromTimeval(const timeval& tv) {
  return absl::Seconds(tv.tv_sec) + absl::Microseconds(tv.tv_usec);
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) out.append(buf, n);
  return out;
}

}  // namespace

absl::StatusOr<Measured> RunMeasured(const std::vector<std::string>& argv) {
  char out_path[] = "/tmp/grid-bench-outXXXXXX";
  char err_path[] = "/tmp/grid-bench-errXXXXXX";
  const int out_fd = mkstemp(out_path);
  const int err_fd = mkstemp(err_path);
  if (out_fd < 0 || err_fd < 0) return absl::InternalError("mkstemp failed");
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const absl::Time start = absl::Now();
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) {
    return absl::InternalError("wait4 failed");
  }
  Measured m;
  m.wall = absl::Now() - start;
  m.user = FromTimeval(usage.ru_utime);
  m.sys = FromTimeval(usage.ru_stime);
  m.cpu = m.user + m.sys;
  m.exit_code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  lseek(out_fd, 0, SEEK_SET);
  lseek(err_fd, 0, SEEK_SET);
  m.out = ReadAll(out_fd);
  m.err = ReadAll(err_fd);
  close(out_fd);
  close(err_fd);
  unlink(out_path);
  unlink(err_path);
  return m;
}

absl::StatusOr<SweepSummary> RunGridSweep(const std::string& targets_file,
                                          int cycles, double pps,
                                          const std::string& method,
                                          absl::Duration interval) {
  std::ifstream in(targets_file);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", targets_file));
  }
  probe::TraceOptions o;
  o.cycles = cycles;
  o.interval = interval;
  if (method == "udp") o.method = probe::ProbeMethod::kUdp;
  if (method == "tcp") o.method = probe::ProbeMethod::kTcpSyn;
  std::vector<probe::TraceRequest> requests;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto addr = probe::IpAddress::Parse(line);
    if (!addr.ok()) return addr.status();
    requests.push_back(probe::TraceRequest{*addr, line, o});
  }
  probe::ProberOptions po;
  po.packets_per_second = pps;
  po.max_concurrent_traces = static_cast<int>(requests.size());
  po.router_pps = 0;  // Like scamper; the lab's routers do not rate-limit.
  auto prober = probe::Prober::Create(po);
  if (!prober.ok()) return prober.status();
  const std::vector<probe::TraceResult> results = (*prober)->Run(requests);
  SweepSummary s;
  for (const probe::TraceResult& r : results) {
    ++s.traces;
    if (r.stop_reason == probe::StopReason::kReached) ++s.reached;
    s.probes += static_cast<int64_t>(r.probes.size());
    for (const probe::HopResult& h : r.hops) {
      if (h.received > 0) ++s.hops;
    }
  }
  return s;
}

std::string FormatSummary(const SweepSummary& s) {
  return absl::StrCat("traces=", s.traces, " reached=", s.reached,
                      " probes=", s.probes, " hops=", s.hops, "\n");
}

absl::StatusOr<SweepSummary> ParseSummary(const std::string& text) {
  SweepSummary s;
  int found = 0;
  for (absl::string_view field :
       absl::StrSplit(text, absl::ByAnyChar(" \n"), absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(field, '=');
    int64_t v = 0;
    if (!absl::SimpleAtoi(kv.second, &v)) continue;
    if (kv.first == "traces") s.traces = v, ++found;
    if (kv.first == "reached") s.reached = v, ++found;
    if (kv.first == "probes") s.probes = v, ++found;
    if (kv.first == "hops") s.hops = v, ++found;
  }
  if (found != 4) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a sweep summary: \"", text, "\""));
  }
  return s;
}

absl::StatusOr<SweepSummary> ReadScamperJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  SweepSummary s;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_no, ": not JSON"));
    }
    if (j.value("type", "") != "trace") continue;
    ++s.traces;
    if (j.value("stop_reason", "") == "COMPLETED") ++s.reached;
    s.probes += j.value("probe_count", 0);
    const std::string dst = j.value("dst", "");
    std::set<int> ttls;
    int dest_ttl = 1 << 30;
    if (j.contains("hops")) {
      for (const auto& h : j["hops"]) {
        const int ttl = h.value("probe_ttl", 0);
        ttls.insert(ttl);
        if (h.value("addr", "") == dst) dest_ttl = std::min(dest_ttl, ttl);
      }
    }
    for (int t : ttls) {
      if (t <= dest_ttl) ++s.hops;
    }
  }
  return s;
}

}  // namespace grid::bench
