// The roles of grid's certificates: a certificate's Subject OU names the
// role, its CN the holder (a probe's name, an operator's name, the
// coordinator's host).
#ifndef GRID_COMMON_TLS_ROLES_H_
#define GRID_COMMON_TLS_ROLES_H_

namespace grid::tls {

inline constexpr char kCoordinatorRole[] = "grid-coordinator";
inline constexpr char kProbeRole[] = "grid-probe";
inline constexpr char kOperatorRole[] = "grid-operator";

}  // namespace grid::tls

#endif  // GRID_COMMON_TLS_ROLES_H_
