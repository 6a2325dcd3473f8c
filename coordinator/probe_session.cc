#include "coordinator/probe_session.h"

#include <utility>

#include "common/tls/roles.h"
#include "coordinator/errors.h"
#include "coordinator/rpc_status.h"

namespace grid::coordinator {

ProbeSession* ProbeSession::Start(const SessionOptions& options,
                                  grpc::CallbackServerContext* context) {
  auto session = std::make_shared<ProbeSession>(options, context->peer());
  session->self_ = session;
  if (options.authenticate) {
    absl::StatusOr<PeerIdentity> id = RequireRole(
        context->auth_context().get(), tls::kProbeRole, "connect as a probe");
    if (!id.ok()) {
      session->Disconnect(id.status());
      return session.get();
    }
    session->identity_ = *std::move(id);
  }
  session->NextRead();
  return session.get();
}

ProbeSession::ProbeSession(const SessionOptions& options, std::string peer)
    : options_(options), peer_(std::move(peer)) {}

bool ProbeSession::Send(const v1::CoordinatorMessage& message) {
  const v1::CoordinatorMessage* to_write = nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (finish_requested_) return false;
    queue_.push_back(message);
    if (writing_) return true;
    writing_ = true;
    to_write = &queue_.front();
  }
  StartWrite(to_write);
  return true;
}

void ProbeSession::OnWriteDone(bool ok) {
  const v1::CoordinatorMessage* to_write = nullptr;
  bool finish = false;
  grpc::Status status;
  {
    absl::MutexLock lock(&mu_);
    queue_.pop_front();
    if (!ok && !finish_requested_) {
      finish_requested_ = true;
      finish_status_ = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                    "could not write to the probe");
    }
    if (!finish_requested_ && !queue_.empty()) {
      to_write = &queue_.front();
    } else {
      writing_ = false;
      if (finish_requested_ && !finish_called_) {
        finish_called_ = true;
        finish = true;
        status = finish_status_;
        queue_.clear();
      }
    }
  }
  if (to_write) StartWrite(to_write);
  if (finish) Finish(status);
}

void ProbeSession::RequestFinish(const grpc::Status& status) {
  bool finish = false;
  {
    absl::MutexLock lock(&mu_);
    if (finish_requested_) return;
    finish_requested_ = true;
    finish_status_ = status;
    if (!writing_ && !finish_called_) {
      finish_called_ = true;
      finish = true;
    }
  }
  if (finish) Finish(status);
}

void ProbeSession::Disconnect(const absl::Status& status) {
  RequestFinish(ToGrpcStatus(status));
}

void ProbeSession::OnReadDone(bool ok) {
  if (!ok) {
    // The probe closed its side or the stream broke.
    RequestFinish(grpc::Status::OK);
    return;
  }
  if (absl::Status s = Handle(*in_); !s.ok()) {
    Disconnect(s);
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    if (finish_requested_) return;
  }
  NextRead();
}

void ProbeSession::NextRead() {
  in_ = nullptr;
  arena_.Reset();
  in_ = google::protobuf::Arena::CreateMessage<v1::ProbeMessage>(&arena_);
  StartRead(in_);
}

absl::Status ProbeSession::HandleHello(const v1::Hello& hello) {
  if (identity_) {
    if (absl::Status s = MayRegisterAs(*identity_, hello.name()); !s.ok()) {
      return s;
    }
  }
  absl::StatusOr<ProbeRegistry::Attached> attached =
      options_.registry->Attach(hello, peer_, shared_from_this());
  if (!attached.ok()) return attached.status();
  name_ = hello.name();
  attached_ = true;
  options_.tracker->ProbeConnected(name_, attached->instance_changed);
  v1::CoordinatorMessage msg;
  v1::Welcome* w = msg.mutable_welcome();
  w->set_protocol_version(v1::PROTOCOL_VERSION_1);
  w->set_heartbeat_interval_ms(static_cast<uint32_t>(
      absl::ToInt64Milliseconds(options_.heartbeat_interval)));
  w->set_coordinator_version(options_.coordinator_version);
  for (uint64_t id : options_.tracker->UnknownJobs(hello.pending_jobs())) {
    w->add_forget_job_ids(id);
  }
  Send(msg);
  return absl::OkStatus();
}

absl::Status ProbeSession::Handle(const v1::ProbeMessage& message) {
  if (!attached_) {
    if (message.msg_case() != v1::ProbeMessage::kHello) {
      return BadHello("the first message of a session must be Hello");
    }
    return HandleHello(message.hello());
  }
  options_.registry->Heard(name_, this);
  switch (message.msg_case()) {
    case v1::ProbeMessage::kHello:
      return ProtocolViolation(name_, "sent a second Hello");
    case v1::ProbeMessage::kHeartbeat:
      options_.registry->Heard(name_, this, message.heartbeat().running_jobs());
      return absl::OkStatus();
    case v1::ProbeMessage::kJobStarted:
      return options_.tracker->Started(name_, message.job_started());
    case v1::ProbeMessage::kResults: {
      // Stored straight from the received message, not copied; the arena
      // holding it is reset before the next read.
      absl::StatusOr<std::vector<v1::Ack>> acks =
          options_.tracker->Ingest(name_, message.results());
      if (!acks.ok()) return acks.status();
      for (const v1::Ack& ack : *acks) {
        v1::CoordinatorMessage msg;
        *msg.mutable_ack() = ack;
        Send(msg);
      }
      return absl::OkStatus();
    }
    case v1::ProbeMessage::kJobDone: {
      absl::StatusOr<v1::Ack> ack =
          options_.tracker->Done(name_, message.job_done());
      if (!ack.ok()) return ack.status();
      v1::CoordinatorMessage msg;
      *msg.mutable_ack() = *ack;
      Send(msg);
      return absl::OkStatus();
    }
    case v1::ProbeMessage::MSG_NOT_SET:
      return ProtocolViolation(name_, "sent an empty message");
  }
  return absl::OkStatus();
}

void ProbeSession::OnDone() {
  std::shared_ptr<ProbeSession> keep = std::move(self_);
  if (attached_ && options_.registry->Detach(name_, this)) {
    options_.tracker->ProbeDisconnected(name_);
  }
}

}  // namespace grid::coordinator
