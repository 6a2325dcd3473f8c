#include "tests/lab/nfq_delay.h"

// clang-format off
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
// clang-format on

#include <cstdio>
#include <cstring>
#include <deque>

#include "absl/strings/str_cat.h"
#include "tests/lab/delay_schedule.h"

namespace grid::lab {
namespace {

volatile sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

struct Held {
  uint32_t id;
  int64_t release_ns;
};

struct LoopState {
  DelaySchedule schedule;
  std::deque<Held> held;
  int64_t now_ns = 0;  // arrival time of the batch being read
};

int OnPacket(nfq_q_handle*, nfgenmsg*, nfq_data* nfa, void* data) {
  auto* state = static_cast<LoopState*>(data);
  const nfqnl_msg_packet_hdr* ph = nfq_get_msg_packet_hdr(nfa);
  if (ph == nullptr) return 0;
  state->held.push_back(
      {ntohl(ph->packet_id), state->schedule.Release(state->now_ns)});
  return 0;
}

// Owns the libnetfilter_queue handles.
struct Queue {
  nfq_handle* h = nullptr;
  nfq_q_handle* qh = nullptr;
  ~Queue() {
    if (qh) nfq_destroy_queue(qh);
    if (h) nfq_close(h);
  }
};

}  // namespace

absl::Status RunDelayQueue(const DelayConfig& config) {
  LoopState state{
      DelaySchedule(int64_t{config.delay_ms} * 1000000,
                    int64_t{config.jitter_ms} * 1000000, config.seed),
      {},
      0};
  // SIGTERM/SIGINT stay blocked except inside ppoll, so a stop request is
  // never lost between the check and the wait.
  struct sigaction sa = {};
  sa.sa_handler = OnSignal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  sigset_t block, wait_mask;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGINT);
  sigprocmask(SIG_BLOCK, &block, &wait_mask);
  sigdelset(&wait_mask, SIGTERM);
  sigdelset(&wait_mask, SIGINT);

  Queue q;
  q.h = nfq_open();
  if (q.h == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat(
        "nfq_open: ", std::strerror(errno), " (needs CAP_NET_ADMIN)"));
  }
  q.qh = nfq_create_queue(q.h, static_cast<uint16_t>(config.queue), &OnPacket,
                          &state);
  if (q.qh == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "cannot bind NFQUEUE ", config.queue, ": ", std::strerror(errno),
        " (already bound by another process?)"));
  }
  if (nfq_set_mode(q.qh, NFQNL_COPY_META, 0) < 0) {
    return absl::InternalError("nfq_set_mode failed");
  }
  nfq_set_queue_maxlen(q.qh, 65536);
  nfnl_rcvbufsiz(nfq_nfnlh(q.h), 8 << 20);
  const int fd = nfq_fd(q.h);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

  std::printf("ready\n");
  std::fflush(stdout);

  alignas(16) char buf[65536];
  uint64_t overruns = 0;
  while (!g_stop) {
    int64_t now = NowNs();
    while (!state.held.empty() && state.held.front().release_ns <= now) {
      nfq_set_verdict(q.qh, state.held.front().id, NF_ACCEPT, 0, nullptr);
      state.held.pop_front();
    }
    timespec timeout{1, 0};  // wake up now and then regardless
    if (!state.held.empty()) {
      const int64_t wait = state.held.front().release_ns - now;
      timeout = {static_cast<time_t>(wait / 1000000000),
                 static_cast<long>(wait % 1000000000)};
    }
    pollfd p{fd, POLLIN, 0};
    const int r = ppoll(&p, 1, &timeout, &wait_mask);
    if (r < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(absl::StrCat("ppoll: ", std::strerror(errno)));
    }
    if (r == 0) continue;
    state.now_ns = NowNs();
    for (;;) {
      const ssize_t n = recv(fd, buf, sizeof(buf), 0);
      if (n > 0) {
        nfq_handle_packet(q.h, buf, static_cast<int>(n));
        continue;
      }
      if (n < 0 && errno == ENOBUFS) {
        // The kernel could not hand us some packets; they wait in the queue
        // and are not delayed accurately. Rare with the large buffer.
        if (++overruns == 1 || overruns % 1000 == 0) {
          std::fprintf(stderr, "grid-lab-delay: queue %d: receive overrun\n",
                       config.queue);
        }
        continue;
      }
      break;  // EAGAIN or a real error: back to ppoll
    }
  }
  // Stop: let everything still held through, in order.
  for (const Held& p : state.held) {
    nfq_set_verdict(q.qh, p.id, NF_ACCEPT, 0, nullptr);
  }
  state.held.clear();
  return absl::OkStatus();
}

}  // namespace grid::lab
