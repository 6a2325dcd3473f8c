#include "tests/storage/storage_test_util.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>

namespace grid::storage::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
      "/grid-storage-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp(" << pattern << ") failed";
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

v1::CycleResult MakeCycleResult(uint64_t job_id, const std::string& probe,
                                v1::Direction direction, uint32_t cycle) {
  v1::CycleResult r;
  r.set_job_id(job_id);
  r.set_probe_name(probe);
  r.set_direction(direction);
  r.set_cycle(cycle);
  r.set_source_address("198.18.1.2");
  r.set_target("198.18.9.9");
  r.set_flow_id(static_cast<uint32_t>(job_id % 65536));
  r.set_started_unix_ms(1700000000000 + cycle * 1000);
  const uint32_t hops = 4 + job_id % 3;
  for (uint32_t ttl = 1; ttl <= hops; ++ttl) {
    v1::TtlResult* t = r.add_ttls();
    t->set_ttl(ttl);
    t->set_probes_sent(1);
    if (ttl == 2 && (cycle + job_id) % 4 == 0) continue;  // Lost.
    v1::Reply* reply = t->add_replies();
    reply->set_from("198.18." + std::to_string(ttl) + "." +
                    std::to_string(1 + (ttl == 3 ? cycle % 2 : 0)));  // ECMP.
    reply->set_rtt_ms(0.5 * ttl + 0.01 * cycle + 0.001 * (job_id % 97));
    reply->set_reply_ttl(64 - ttl);
    reply->set_size(56);
    reply->set_quoted_ttl(1);
    const bool last = ttl == hops;
    reply->set_kind(last ? v1::REPLY_KIND_ECHO_REPLY
                         : v1::REPLY_KIND_TIME_EXCEEDED);
    reply->set_icmp_type(last ? 0 : 11);
    if (ttl == 3) {
      v1::MplsLabel* label = reply->add_mpls_labels();
      label->set_label(16000 + cycle);
      label->set_bottom_of_stack(true);
      label->set_ttl(1);
    }
  }
  r.set_reached_target(true);
  return r;
}

v1::JobRecord MakeJob(uint64_t job_id, const std::string& probe,
                      int64_t created_unix_ms) {
  v1::JobRecord job;
  v1::JobSpec* spec = job.mutable_spec();
  spec->set_job_id(job_id);
  spec->set_target("198.18.9.9");
  spec->set_method(v1::PROBE_METHOD_ICMP);
  spec->set_cycles(10);
  spec->set_interval_ms(1000);
  spec->set_max_ttl(30);
  spec->set_direction(v1::DIRECTION_FORWARD);
  job.set_probe_name(probe);
  job.set_status(v1::JOB_STATUS_RUNNING);
  job.set_created_unix_ms(created_unix_ms);
  return job;
}

v1::ProbeRecord MakeProbe(const std::string& name, int64_t last_seen_unix_ms) {
  v1::ProbeRecord probe;
  probe.set_name(name);
  probe.set_instance_id(0x1234 + name.size());
  (*probe.mutable_labels())["isp"] = "isp-" + name;
  (*probe.mutable_labels())["site"] = "lab";
  probe.add_serves("198.18.4.0/24");
  probe.set_version("0.1.0");
  probe.mutable_capabilities()->add_methods(v1::PROBE_METHOD_ICMP);
  probe.mutable_capabilities()->set_ipv4(true);
  probe.set_first_seen_unix_ms(last_seen_unix_ms - 60000);
  probe.set_last_seen_unix_ms(last_seen_unix_ms);
  return probe;
}

v1::DiagnosisRecord MakeDiagnosis(uint64_t id, const std::string& target,
                                  int64_t started_unix_ms) {
  v1::DiagnosisRecord d;
  d.set_id(id);
  d.set_target(target);
  d.set_started_unix_ms(started_unix_ms);
  d.set_finished_unix_ms(started_unix_ms + 60000);
  d.set_cycles(60);
  v1::VantageTraces* v = d.add_vantages();
  v->set_name("x");
  v1::HopSummary* hop = v->mutable_forward()->add_hops();
  hop->set_ttl(1);
  hop->set_host("198.18.1.1");
  hop->set_sent(60);
  hop->set_received(57);
  hop->set_loss_pct(5);
  hop->set_jitter_avg_ms(0.3);
  d.mutable_result()->set_verdict(v1::VERDICT_CLIENT_LOSS);
  d.mutable_result()->set_summary("loss at the client's first hop");
  return d;
}

}  // namespace grid::storage::testing
