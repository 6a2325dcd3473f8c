#include "probe-node/privileges.h"

#include <errno.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "probe-node/socket_util.h"

namespace grid::probe {
namespace {

bool HasEffective(cap_value_t cap) {
  cap_t caps = cap_get_proc();
  if (caps == nullptr) return false;
  cap_flag_value_t v = CAP_CLEAR;
  cap_get_flag(caps, cap, CAP_EFFECTIVE, &v);
  cap_free(caps);
  return v == CAP_SET;
}

}  // namespace

bool HasNetRawCapability() { return HasEffective(CAP_NET_RAW); }

absl::Status DropAllPrivileges() {
  // Ambient capabilities (absent on old kernels: EINVAL is fine).
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 &&
      errno != EINVAL) {
    return ErrnoStatus(errno, "clearing ambient capabilities");
  }
  if (HasEffective(CAP_SETPCAP)) {
    for (cap_value_t c = 0; c < static_cast<cap_value_t>(cap_max_bits()); ++c) {
      if (cap_drop_bound(c) != 0 && errno != EINVAL) {
        return ErrnoStatus(errno, absl::StrCat("dropping capability ", c,
                                               " from the bounding set"));
      }
    }
  }
  // A set-uid/set-gid binary gives up the borrowed identity for good.
  const gid_t gid = getgid();
  if (getegid() != gid && setresgid(gid, gid, gid) != 0) {
    return ErrnoStatus(errno, "setresgid");
  }
  const uid_t uid = getuid();
  if (geteuid() != uid && setresuid(uid, uid, uid) != 0) {
    return ErrnoStatus(errno, "setresuid");
  }
  cap_t none = cap_init();
  if (none == nullptr) return ErrnoStatus(errno, "cap_init");
  const int rc = cap_set_proc(none);
  const int err = errno;
  cap_free(none);
  if (rc != 0) return ErrnoStatus(err, "clearing capability sets");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return ErrnoStatus(errno, "PR_SET_NO_NEW_PRIVS");
  }
  // Verify: nothing effective or permitted remains.
  cap_t now = cap_get_proc();
  if (now == nullptr) return ErrnoStatus(errno, "cap_get_proc");
  bool any = false;
  for (cap_value_t c = 0; c < static_cast<cap_value_t>(cap_max_bits()); ++c) {
    cap_flag_value_t e = CAP_CLEAR, p = CAP_CLEAR;
    cap_get_flag(now, c, CAP_EFFECTIVE, &e);
    cap_get_flag(now, c, CAP_PERMITTED, &p);
    any = any || e == CAP_SET || p == CAP_SET;
  }
  cap_free(now);
  if (any) return absl::InternalError("capabilities remain after dropping");
  return absl::OkStatus();
}

}  // namespace grid::probe
