#include "coordinator/probe_registry.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "coordinator/errors.h"
#include "coordinator/ip_prefix.h"

namespace grid::coordinator {
namespace {

int64_t UnixMs(absl::Time t) { return absl::ToUnixMillis(t); }

}  // namespace

absl::Status ValidateHello(const v1::Hello& hello) {
  if (hello.name().empty()) return BadHello("the probe name is empty");
  if (hello.name().size() > 128) {
    return BadHello("the probe name is longer than 128 bytes");
  }
  for (char c : hello.name()) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return BadHello("the probe name contains control characters");
    }
  }
  if (hello.instance_id() == 0) return BadHello("instance_id is 0");
  if (hello.protocol_version() != v1::PROTOCOL_VERSION_1) {
    return BadHello(absl::StrCat("protocol version ", hello.protocol_version(),
                                 " is not supported (this coordinator "
                                 "speaks version 1)"));
  }
  for (const std::string& cidr : hello.serves()) {
    absl::StatusOr<IpPrefix> p = IpPrefix::Parse(cidr);
    if (!p.ok()) return BadHello(p.status().message());
  }
  for (const auto& [key, value] : hello.labels()) {
    absl::StatusOr<std::pair<std::string, std::string>> kv =
        ParseLabel(absl::StrCat(key, "=", value));
    if (!kv.ok()) return BadHello(kv.status().message());
  }
  return absl::OkStatus();
}

ProbeRegistry::ProbeRegistry(storage::Storage* storage, Clock clock)
    : storage_(storage), clock_(std::move(clock)) {}

absl::StatusOr<ProbeRegistry::Attached> ProbeRegistry::Attach(
    const v1::Hello& hello, const std::string& peer,
    std::shared_ptr<ProbeLink> link) {
  if (absl::Status s = ValidateHello(hello); !s.ok()) return s;
  absl::StatusOr<v1::ProbeRecord> previous = storage_->GetProbe(hello.name());
  if (!previous.ok() && !absl::IsNotFound(previous.status())) {
    return previous.status();
  }
  const absl::Time now = Now();
  v1::ProbeRecord record;
  record.set_name(hello.name());
  record.set_instance_id(hello.instance_id());
  *record.mutable_labels() = hello.labels();
  for (const std::string& cidr : hello.serves()) {
    record.add_serves(IpPrefix::Parse(cidr)->ToString());
  }
  record.set_version(hello.version());
  *record.mutable_capabilities() = hello.capabilities();
  record.set_first_seen_unix_ms(previous.ok() ? previous->first_seen_unix_ms()
                                              : UnixMs(now));
  record.set_last_seen_unix_ms(UnixMs(now));
  record.set_peer(peer);

  Attached attached;
  attached.instance_changed =
      previous.ok() && previous->instance_id() != hello.instance_id();
  std::shared_ptr<ProbeLink> stale;
  {
    absl::MutexLock lock(&mu_);
    auto it = connected_.find(hello.name());
    if (it != connected_.end()) {
      if (it->second.record.instance_id() != hello.instance_id()) {
        return NameTaken(hello.name());
      }
      stale = std::move(it->second.link);
      attached.instance_changed = false;
    }
    connected_[hello.name()] = ConnectedProbe{record, link, 0, now};
  }
  if (stale) {
    stale->Disconnect(absl::AbortedError(
        "replaced by a newer session of the same probe process"));
  }
  if (absl::Status s = storage_->PutProbe(record); !s.ok()) {
    Detach(hello.name(), link.get());
    return s;
  }
  return attached;
}

bool ProbeRegistry::Detach(absl::string_view name, const ProbeLink* link) {
  v1::ProbeRecord record;
  {
    absl::MutexLock lock(&mu_);
    auto it = connected_.find(name);
    if (it == connected_.end() || it->second.link.get() != link) return false;
    record = std::move(it->second.record);
    connected_.erase(it);
  }
  record.set_last_seen_unix_ms(UnixMs(Now()));
  // Best effort: last-seen is informational.
  storage_->PutProbe(record).IgnoreError();
  return true;
}

void ProbeRegistry::Heard(absl::string_view name, const ProbeLink* link,
                          std::optional<uint32_t> running_jobs) {
  absl::MutexLock lock(&mu_);
  auto it = connected_.find(name);
  if (it == connected_.end() || it->second.link.get() != link) return;
  it->second.last_heard = Now();
  it->second.record.set_last_seen_unix_ms(UnixMs(it->second.last_heard));
  if (running_jobs) it->second.running_jobs = *running_jobs;
}

std::vector<ConnectedProbe> ProbeRegistry::Connected() const {
  absl::MutexLock lock(&mu_);
  std::vector<ConnectedProbe> out;
  out.reserve(connected_.size());
  for (const auto& [name, probe] : connected_) out.push_back(probe);
  return out;
}

std::optional<ConnectedProbe> ProbeRegistry::Find(
    absl::string_view name) const {
  absl::MutexLock lock(&mu_);
  auto it = connected_.find(name);
  if (it == connected_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<std::vector<v1::ProbeInfo>> ProbeRegistry::List(
    const LabelSelector& selector, bool connected_only) const {
  std::map<std::string, v1::ProbeInfo> by_name;
  if (!connected_only) {
    absl::StatusOr<std::vector<v1::ProbeRecord>> known = storage_->ListProbes();
    if (!known.ok()) return known.status();
    for (v1::ProbeRecord& r : *known) {
      v1::ProbeInfo info;
      *info.mutable_record() = std::move(r);
      by_name[info.record().name()] = std::move(info);
    }
  }
  for (const ConnectedProbe& p : Connected()) {
    v1::ProbeInfo& info = by_name[p.record.name()];
    *info.mutable_record() = p.record;
    info.set_connected(true);
    info.set_running_jobs(p.running_jobs);
  }
  std::vector<v1::ProbeInfo> out;
  for (auto& [name, info] : by_name) {
    if (selector.Matches(name, info.record().labels())) {
      out.push_back(std::move(info));
    }
  }
  return out;
}

void ProbeRegistry::DropSilent(absl::Duration silence) {
  std::vector<std::shared_ptr<ProbeLink>> silent;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time cutoff = Now() - silence;
    for (const auto& [name, probe] : connected_) {
      if (probe.last_heard < cutoff) silent.push_back(probe.link);
    }
  }
  for (const auto& link : silent) {
    link->Disconnect(absl::DeadlineExceededError(
        "no heartbeat from the probe for three intervals"));
  }
}

void ProbeRegistry::DisconnectAll(const absl::Status& status) {
  std::vector<std::shared_ptr<ProbeLink>> links;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [name, probe] : connected_) links.push_back(probe.link);
  }
  for (const auto& link : links) link->Disconnect(status);
}

}  // namespace grid::coordinator
