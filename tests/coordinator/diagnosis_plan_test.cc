// Choosing vantages and the return probe.
#include "coordinator/diagnosis_plan.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace grid::coordinator {
namespace {

ConnectedProbe Probe(const std::string& name,
                     std::map<std::string, std::string> labels,
                     std::vector<std::string> serves = {}, uint32_t running = 0,
                     bool ipv6 = false) {
  ConnectedProbe p;
  p.record.set_name(name);
  for (const auto& [k, v] : labels) (*p.record.mutable_labels())[k] = v;
  for (const std::string& s : serves) p.record.add_serves(s);
  p.record.mutable_capabilities()->set_ipv4(true);
  p.record.mutable_capabilities()->set_ipv6(ipv6);
  p.running_jobs = running;
  return p;
}

std::vector<std::string> Names(const std::vector<ConnectedProbe>& probes) {
  std::vector<std::string> out;
  for (const ConnectedProbe& p : probes) out.push_back(p.record.name());
  return out;
}

const std::vector<ConnectedProbe> kProbes = {
    Probe("S", {{"role", "server"}}, {"198.18.3.4/30"}),
    Probe("X", {{"isp", "a"}}),
    Probe("Y", {{"isp", "b"}}),
};

TEST(PlanDiagnosis, ClientsTraceAndTheServingProbeTracesBack) {
  auto plan = PlanDiagnosis(kProbes, *IpBytes::Parse("198.18.3.6"),
                            LabelSelector(), "");
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(Names(plan->vantages), ::testing::ElementsAre("X", "Y"));
  ASSERT_TRUE(plan->return_probe);
  EXPECT_EQ(plan->return_probe->record.name(), "S");
}

TEST(PlanDiagnosis, SelectorPicksVantagesNotTheReturnProbe) {
  auto plan = PlanDiagnosis(kProbes, *IpBytes::Parse("198.18.3.6"),
                            *LabelSelector::Parse("isp=b"), "isp=b");
  ASSERT_TRUE(plan.ok());
  EXPECT_THAT(Names(plan->vantages), ::testing::ElementsAre("Y"));
  EXPECT_EQ(plan->return_probe->record.name(), "S");
}

TEST(PlanDiagnosis, NoReturnProbeOutsideServedRanges) {
  auto plan = PlanDiagnosis(kProbes, *IpBytes::Parse("198.18.7.1"),
                            LabelSelector(), "");
  ASSERT_TRUE(plan.ok());
  EXPECT_THAT(Names(plan->vantages), ::testing::ElementsAre("S", "X", "Y"));
  EXPECT_FALSE(plan->return_probe);
}

TEST(PlanDiagnosis, LeastBusyServingProbeTracesBack) {
  std::vector<ConnectedProbe> probes = kProbes;
  probes[0].running_jobs = 5;
  probes.push_back(Probe("S2", {}, {"198.18.3.0/24"}, 1));
  auto plan =
      PlanDiagnosis(probes, *IpBytes::Parse("198.18.3.6"), LabelSelector(), "");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->return_probe->record.name(), "S2");
}

TEST(PlanDiagnosis, ServingProbesAreVantagesWhenNothingElseMatches) {
  auto plan =
      PlanDiagnosis(kProbes, *IpBytes::Parse("198.18.3.6"),
                    *LabelSelector::Parse("role=server"), "role=server");
  ASSERT_TRUE(plan.ok());
  EXPECT_THAT(Names(plan->vantages), ::testing::ElementsAre("S"));
  EXPECT_FALSE(plan->return_probe);
}

TEST(PlanDiagnosis, NoMatchIsFailedPrecondition) {
  auto none =
      PlanDiagnosis({}, *IpBytes::Parse("198.18.3.6"), LabelSelector(), "");
  EXPECT_EQ(none.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(none.status().message(), ::testing::HasSubstr("no probes"));
  auto sel = PlanDiagnosis(kProbes, *IpBytes::Parse("198.18.3.6"),
                           *LabelSelector::Parse("isp=c"), "isp=c");
  EXPECT_THAT(sel.status().message(), ::testing::HasSubstr("isp=c"));
  // IPv4-only probes cannot trace an IPv6 target.
  auto v6 =
      PlanDiagnosis(kProbes, *IpBytes::Parse("2001:2::1"), LabelSelector(), "");
  EXPECT_EQ(v6.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace grid::coordinator
