#include "diagnosis/explain.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace grid::diagnosis {

std::string JoinNames(const std::vector<std::string>& names) {
  if (names.size() <= 1) return absl::StrJoin(names, "");
  return absl::StrCat(absl::StrJoin(names.begin(), names.end() - 1, ", "),
                      " and ", names.back());
}

namespace {

std::string What(const Finding& f) {
  if (f.kind == FindingKind::kLoss) {
    return absl::StrFormat("Packet loss (%.0f%%)", f.loss_pct);
  }
  return absl::StrFormat("Added latency (+%.0f ms)", f.added_ms);
}

std::string Segment(const Finding& f) { return absl::StrJoin(f.hops, ", "); }

// What the `other` direction's traces of a one-direction finding showed:
// nothing, or the fault where their replies cross the faulty path.
std::string Confirmation(const Finding& f, const char* other) {
  if (f.direction != Direction::kBoth) {
    return absl::StrCat("; the ", other, " route is clean");
  }
  return absl::StrCat("; the ", other,
                      " traces show it too, from hops whose replies cross "
                      "that path");
}

std::string FaultSentence(const Finding& f,
                          const std::vector<VantageAnalysis>& vantages) {
  std::vector<std::string> others;
  for (const VantageAnalysis& v : vantages) {
    if (std::find(f.vantages.begin(), f.vantages.end(), v.vantage->name) ==
        f.vantages.end()) {
      others.push_back(v.vantage->name);
    }
  }
  const std::string who = JoinNames(f.vantages);
  switch (f.location) {
    case Location::kClient:
      return absl::StrCat(
          What(f), " in the client's own network (", who, "), starting at ",
          Segment(f),
          ". The cause is the client's local network, router or access "
          "line, not the server or the route in between.");
    case Location::kServer:
      return absl::StrCat(
          What(f), " at the server side, seen from ", who, ", starting at ",
          Segment(f),
          ". The cause is the server or its hosting network, not the "
          "clients' connections.");
    case Location::kIsp:
      return absl::StrCat(
          What(f), " on the route of ", who, " only, in the segment ",
          Segment(f),
          others.empty()
              ? ""
              : absl::StrCat(", while ", JoinNames(others),
                             others.size() == 1 ? " reaches" : " reach",
                             " the same server without it"),
          ". The cause lies with the ISP or routing on that segment, not "
          "with the server.");
    case Location::kForwardPath:
    case Location::kReturnPath: {
      const bool out = f.location == Location::kForwardPath;
      const char* way =
          out ? "on the way to the server" : "on the way back from the server";
      const char* path = out ? "outbound" : "return";
      const char* other = out ? "return" : "outbound";
      if (f.direction_open) {
        return absl::StrCat(What(f), ", most likely ", way, " (", who, "), in ",
                            Segment(f), "; the ", other,
                            " traces show it too, and which way is at fault "
                            "they leave open. A router or link on the ",
                            path, " path is the likelier cause.");
      }
      return absl::StrCat(What(f), " ", way, " only (", who, "), in ",
                          Segment(f), Confirmation(f, other),
                          ". A router or link on the ", path,
                          " path is at fault.");
    }
  }
  return "";
}

}  // namespace

std::string Summarize(const Diagnosis& diagnosis,
                      const std::vector<VantageAnalysis>& vantages) {
  if (diagnosis.verdict == Verdict::kInconclusive) {
    return "Inconclusive: the target did not answer from any vantage, so "
           "grid cannot tell where packets are lost. Check that the target "
           "is up and answers ICMP, or trace with UDP or TCP.";
  }
  if (!diagnosis.findings.empty()) {
    return FaultSentence(diagnosis.findings.front(), vantages);
  }
  double worst = 0;
  bool any_return = false;
  for (const VantageAnalysis& v : vantages) {
    worst = std::max(worst, v.forward.destination_loss);
    if (v.ret) {
      any_return = true;
      worst = std::max(worst, v.ret->destination_loss);
    }
  }
  std::string text = absl::StrFormat(
      "No fault found: %s reach%s the server%s with %.0f%% loss at most.",
      vantages.size() == 1 ? vantages[0].vantage->name
                           : absl::StrCat("all ", vantages.size(), " vantages"),
      vantages.size() == 1 ? "es" : "", any_return ? " and back" : "",
      worst * 100);
  if (!diagnosis.artifacts.empty()) {
    absl::StrAppend(&text,
                    " Loss or delay at single routers that later hops do "
                    "not show is how those routers treat ICMP, not a fault.");
  }
  return text;
}

}  // namespace grid::diagnosis
