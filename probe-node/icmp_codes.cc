// Names of reply kinds and ICMP unreachable codes.
#include <string>

#include "absl/strings/str_cat.h"
#include "probe-node/reply_parser.h"

namespace grid::probe {

const char* ReplyKindName(ReplyKind kind) {
  switch (kind) {
    case ReplyKind::kTimeExceeded:
      return "time exceeded";
    case ReplyKind::kDestinationUnreachable:
      return "destination unreachable";
    case ReplyKind::kEchoReply:
      return "echo reply";
    case ReplyKind::kTcpSynAck:
      return "TCP SYN-ACK";
    case ReplyKind::kTcpReset:
      return "TCP RST";
    case ReplyKind::kPacketTooBig:
      return "packet too big";
    case ReplyKind::kParameterProblem:
      return "parameter problem";
  }
  return "?";
}

std::string UnreachableCodeName(IpFamily family, uint8_t code) {
  static constexpr const char* kV4[] = {
      "network unreachable",
      "host unreachable",
      "protocol unreachable",
      "port unreachable",
      "fragmentation needed",
      "source route failed",
      "destination network unknown",
      "destination host unknown",
      "source host isolated",
      "network administratively prohibited",
      "host administratively prohibited",
      "network unreachable for TOS",
      "host unreachable for TOS",
      "communication administratively prohibited",
      "host precedence violation",
      "precedence cutoff in effect",
  };
  static constexpr const char* kV6[] = {
      "no route to destination",
      "communication administratively prohibited",
      "beyond scope of source address",
      "address unreachable",
      "port unreachable",
      "source address failed ingress/egress policy",
      "reject route to destination",
      "error in source routing header",
      "headers too long",
  };
  if (family == IpFamily::kV4 && code < std::size(kV4)) return kV4[code];
  if (family == IpFamily::kV6 && code < std::size(kV6)) return kV6[code];
  return absl::StrCat("unreachable code ", code);
}

std::string UnreachableMarker(IpFamily family, uint8_t code) {
  if (family == IpFamily::kV4) {
    switch (code) {
      case 0:
      case 6:
      case 11:
        return "!N";
      case 1:
      case 7:
      case 12:
        return "!H";
      case 2:
        return "!P";
      case 3:
        return "";
      case 4:
        return "!F";
      case 5:
        return "!S";
      case 8:
      case 9:
      case 10:
      case 13:
        return "!X";
      case 14:
        return "!V";
      case 15:
        return "!C";
      default:
        return absl::StrCat("!<", code, ">");
    }
  }
  switch (code) {
    case 0:
    case 6:
      return "!N";
    case 1:
    case 5:
      return "!X";
    case 2:
      return "!S";
    case 3:
      return "!H";
    case 4:
      return "";
    default:
      return absl::StrCat("!<", code, ">");
  }
}

}  // namespace grid::probe
