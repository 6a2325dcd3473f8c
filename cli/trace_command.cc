#include "cli/trace_command.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli/exit_codes.h"
#include "common/target_policy.h"
#include "common/target_policy_flags.h"
#include "coordinator/ip_prefix.h"
#include "diagnosis/reports/reports.h"
#include "probe-node/prober.h"

namespace grid::cli {
namespace {

struct TraceArgs {
  std::string target;
  int cycles = 10;
  double interval = 1.0;
  std::string proto = "icmp";
  int port = 0;
  bool v4 = false;
  bool v6 = false;
  int first_ttl = 1;
  int max_ttl = 30;
  int packet_size = 64;
  double timeout = 5.0;
  bool vary_flow = false;
  double pps = 100;
  double router_pps = 1.0;
  bool report = false;
  bool wide = false;
  bool json = false;
  bool csv = false;
  bool no_dns = false;  // Accepted like mtr's -n; grid prints addresses.
  common::TargetPolicyOptions policy;
};

std::string LocalHostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "localhost";
  return name;
}

absl::StatusOr<probe::TraceOptions> ToOptions(const TraceArgs& a) {
  probe::TraceOptions o;
  if (a.proto == "icmp") {
    o.method = probe::ProbeMethod::kIcmpEcho;
  } else if (a.proto == "udp") {
    o.method = probe::ProbeMethod::kUdp;
  } else if (a.proto == "tcp") {
    o.method = probe::ProbeMethod::kTcpSyn;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--proto ", a.proto, ": expected icmp, udp or tcp"));
  }
  if (a.port < 0 || a.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--port ", a.port, ": expected 1..65535"));
  }
  if (!(a.interval >= 0) || a.interval > 3600) {
    return absl::InvalidArgumentError(
        absl::StrCat("-i ", a.interval, ": expected 0..3600 seconds"));
  }
  if (!(a.timeout > 0) || a.timeout > 3600) {
    return absl::InvalidArgumentError(
        absl::StrCat("--timeout ", a.timeout, ": expected (0, 3600] seconds"));
  }
  o.cycles = a.cycles;
  o.interval = absl::Seconds(a.interval);
  o.port = static_cast<uint16_t>(a.port);
  o.first_ttl = a.first_ttl;
  o.max_ttl = a.max_ttl;
  o.packet_size = a.packet_size;
  o.timeout = absl::Seconds(a.timeout);
  o.vary_flow_per_cycle = a.vary_flow;
  if (absl::Status s = probe::ValidateTraceOptions(o); !s.ok()) return s;
  return o;
}

diagnosis::MtrWriteOptions WriteOptions(const TraceArgs& a,
                                        const probe::TraceResult& r) {
  diagnosis::MtrWriteOptions w;
  w.local_host_name = LocalHostName();
  w.destination = a.target;
  w.start_time = r.start;
  w.time_zone = absl::LocalTimeZone();
  w.tests = a.cycles;
  w.packet_size = a.packet_size;
  w.wide = a.wide;
  return w;
}

std::string Render(const TraceArgs& a, const probe::TraceResult& r) {
  const diagnosis::Trace trace = probe::ToDiagnosisTrace(r);
  const diagnosis::MtrWriteOptions w = WriteOptions(a, r);
  if (a.json) return diagnosis::WriteMtrJson(trace, w);
  if (a.csv) return diagnosis::WriteMtrCsv(trace, w);
  return diagnosis::WriteMtrReport(trace, w);
}

int Run(const TraceArgs& a) {
  auto fail = [](absl::string_view msg) {
    std::cerr << "grid trace: " << msg << "\n";
    return kExitError;
  };
  if (a.v4 && a.v6) return fail("-4 and -6 exclude each other");
  if (static_cast<int>(a.json) + a.csv + (a.report || a.wide) > 1) {
    return fail("choose one of --report, --json and --csv");
  }
  absl::StatusOr<probe::TraceOptions> options = ToOptions(a);
  if (!options.ok()) return fail(options.status().message());
  absl::StatusOr<common::TargetPolicy> policy =
      common::TargetPolicy::Create(a.policy);
  if (!policy.ok()) return fail(policy.status().message());

  probe::ProberOptions po;
  po.packets_per_second = a.pps;
  po.router_pps = a.router_pps;
  // Opens the sockets and drops every privilege before any input is read
  // (name resolution included).
  auto prober = probe::Prober::Create(po);
  if (!prober.ok()) return fail(prober.status().message());
  if (const std::string note = (*prober)->Limitations(); !note.empty()) {
    std::cerr << "grid trace: note: " << note << "\n";
  }
  absl::StatusOr<probe::IpAddress> dst =
      ResolveTarget(a.target, a.v4 ? 4 : (a.v6 ? 6 : 0));
  if (!dst.ok()) return fail(dst.status().message());
  // The same target policy as the grid's probes, before any packet.
  const std::string shown =
      dst->ToString() == a.target
          ? a.target
          : absl::StrCat(a.target, " (", dst->ToString(), ")");
  if (absl::Status s =
          policy->Check(*coordinator::IpBytes::Parse(dst->ToString()), shown);
      !s.ok()) {
    return fail(s.message());
  }

  const bool live =
      !a.report && !a.wide && !a.json && !a.csv && isatty(STDOUT_FILENO) == 1;
  probe::ProgressCallback progress;
  if (live) {
    progress = [&a](const probe::TraceResult& r) {
      if (!r.status.ok()) return;
      // Redraw the whole table after every cycle.
      std::cout << "\x1b[H\x1b[2J" << Render(a, r) << "cycle " << r.cycles_done
                << " of " << a.cycles << "\n"
                << std::flush;
    };
  }
  const std::vector<probe::TraceResult> results =
      (*prober)->Run({probe::TraceRequest{*dst, a.target, *options}}, progress);
  const probe::TraceResult& r = results.at(0);
  if (!r.status.ok()) return fail(r.status.message());
  if (live) std::cout << "\x1b[H\x1b[2J";
  std::cout << Render(a, r) << std::flush;
  return kExitHealthy;
}

}  // namespace

absl::StatusOr<probe::IpAddress> ResolveTarget(const std::string& target,
                                               int family) {
  if (target.empty()) return absl::InvalidArgumentError("empty target");
  absl::StatusOr<probe::IpAddress> literal = probe::IpAddress::Parse(target);
  std::vector<probe::IpAddress> found;
  if (literal.ok()) {
    found.push_back(*literal);
  } else {
    addrinfo hints{};
    hints.ai_family =
        family == 4 ? AF_INET : (family == 6 ? AF_INET6 : AF_UNSPEC);
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* res = nullptr;
    const int rc = getaddrinfo(target.c_str(), nullptr, &hints, &res);
    if (rc != 0) {
      return absl::NotFoundError(
          absl::StrCat("cannot resolve \"", target, "\": ", gai_strerror(rc)));
    }
    for (addrinfo* p = res; p != nullptr; p = p->ai_next) {
      if (p->ai_family == AF_INET) {
        const auto* sin = reinterpret_cast<const sockaddr_in*>(p->ai_addr);
        found.push_back(probe::IpAddress::FromBytes(absl::MakeConstSpan(
            reinterpret_cast<const uint8_t*>(&sin->sin_addr), 4)));
      } else if (p->ai_family == AF_INET6) {
        const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(p->ai_addr);
        found.push_back(probe::IpAddress::FromBytes(absl::MakeConstSpan(
            reinterpret_cast<const uint8_t*>(&sin6->sin6_addr), 16)));
      }
    }
    freeaddrinfo(res);
    // Prefer IPv4 when either family will do, as mtr does.
    std::stable_sort(found.begin(), found.end(),
                     [](const probe::IpAddress& x, const probe::IpAddress& y) {
                       return x.is_v4() && !y.is_v4();
                     });
  }
  std::erase_if(found, [family](const probe::IpAddress& x) {
    return (family == 4 && !x.is_v4()) || (family == 6 && x.is_v4());
  });
  if (found.empty()) {
    return absl::NotFoundError(
        absl::StrCat("\"", target, "\" has no IPv", family, " address"));
  }
  return found[0];
}

void AddTraceCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<TraceArgs>();
  CLI::App* cmd = app.add_subcommand(
      "trace", "Trace the path to TARGET from this machine, like mtr");
  cmd->add_option("TARGET", a->target, "Host name or address")->required();
  cmd->add_option("-c,--report-cycles", a->cycles,
                  "Cycles: probes sent to each hop (default 10)");
  cmd->add_option("-i,--interval", a->interval,
                  "Seconds between cycles; each hop is probed once per "
                  "interval (default 1)");
  cmd->add_option("--proto", a->proto, "Probe method: icmp, udp or tcp")
      ->check(CLI::IsMember({"icmp", "udp", "tcp"}));
  cmd->add_option("-P,--port", a->port,
                  "UDP/TCP destination port (default 33434 / 80)");
  cmd->add_flag("-4", a->v4, "IPv4 only");
  cmd->add_flag("-6", a->v6, "IPv6 only");
  cmd->add_option("-f,--first-ttl", a->first_ttl, "First TTL (default 1)");
  cmd->add_option("-m,--max-ttl", a->max_ttl, "Largest TTL (default 30)");
  cmd->add_option("-s,--psize", a->packet_size,
                  "Packet size in bytes, IP header included (default 64)");
  cmd->add_option("--timeout", a->timeout,
                  "Seconds before an unanswered probe counts as lost "
                  "(default 5)");
  cmd->add_flag("--multipath", a->vary_flow,
                "Use a new flow each cycle to reveal ECMP paths (default: "
                "Paris-style, one flow)");
  cmd->add_option("--pps", a->pps, "Packets per second limit (default 100)");
  cmd->add_option("--router-pps", a->router_pps,
                  "ICMP errors asked of one router per second, 0 = no limit "
                  "(default 1, burst 6: Linux's ICMP rate limit)");
  cmd->add_flag("-r,--report", a->report, "Print mtr's report at the end");
  cmd->add_flag("-w,--report-wide", a->wide,
                "Report without cutting host names");
  cmd->add_flag("-j,--json", a->json, "Print mtr's JSON at the end");
  cmd->add_flag("-C,--csv", a->csv, "Print mtr's CSV at the end");
  cmd->add_flag("-n,--no-dns", a->no_dns,
                "Show addresses (grid always does; accepted for mtr users)");
  common::AddTargetPolicyFlags(*cmd, &a->policy);
  cmd->callback([a, exit_code] { *exit_code = Run(*a); });
}

}  // namespace grid::cli
