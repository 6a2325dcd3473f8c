// grid-lab: bring lab topologies up and down from the shell, inject faults
// and run commands in lab nodes. All work is done by the grid_lab library;
// this file only parses flags.
//
//   grid-lab up TOPOLOGY.json [--prefix P]     prints the prefix
//   grid-lab down PREFIX
//   grid-lab fault PREFIX add
//   '{"type":"loss","link":["a","b"],"probability":0.1}' grid-lab fault PREFIX
//   remove ID | clear | list grid-lab exec PREFIX NODE -- CMD...         exit
//   status is CMD's grid-lab addr PREFIX NODE [--peer P] [-6] [--mgmt] grid-lab
//   show PREFIX                        nodes, links, addresses
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tests/lab/lab.h"
#include "tests/lab/topology_json.h"

namespace grid::lab {
namespace {

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "grid-lab: %s\n", std::string(s.message()).c_str());
  return 2;
}

int Up(const std::string& file, std::string prefix) {
  std::ifstream f(file);
  if (!f) return Fail(absl::NotFoundError("cannot read " + file));
  std::stringstream ss;
  ss << f.rdbuf();
  auto topo = ParseTopologyJson(ss.str());
  if (!topo.ok())
    return Fail(absl::InvalidArgumentError(
        absl::StrCat(file, ": ", topo.status().message())));
  if (prefix.empty()) prefix = Lab::UniquePrefix("lab");
  auto lab = Lab::Up(*topo, prefix);
  if (!lab.ok()) {
    return Fail(absl::Status(lab.status().code(),
                             absl::StrCat(file, ": ", lab.status().message())));
  }
  (*lab)->Release();
  std::cout << prefix << "\n";
  return 0;
}

int Show(const Lab& lab) {
  const ResolvedTopology& t = lab.topology();
  for (const NodeSpec& n : t.spec.nodes) {
    std::cout << "node " << n.name << " "
              << (n.kind == NodeKind::kRouter ? "router" : "host") << " netns "
              << lab.Namespace(n.name);
    if (auto m = lab.ManagementAddress(n.name); m.ok())
      std::cout << " mgmt " << *m;
    std::cout << "\n";
  }
  for (const ResolvedLink& l : t.links) {
    std::cout << "link " << l.name << " " << l.subnet4.ToString() << " "
              << l.a.node << "/" << l.a.ifname << "=" << l.a.addr4 << " "
              << l.b.node << "/" << l.b.ifname << "=" << l.b.addr4;
    if (l.subnet6.family) {
      std::cout << " " << l.subnet6.ToString() << " " << l.a.addr6 << " "
                << l.b.addr6;
    }
    std::cout << "\n";
  }
  for (const auto& [id, f] : lab.ActiveFaults()) {
    std::cout << "fault " << id << " " << f.Describe() << "\n";
  }
  return 0;
}

}  // namespace
}  // namespace grid::lab

int main(int argc, char** argv) {
  using grid::lab::Fail;
  using grid::lab::Lab;
  CLI::App app{"grid network lab: namespaces, links, routes and faults",
               "grid-lab"};
  app.require_subcommand(1);

  std::string file, prefix, node, peer, action, arg;
  std::vector<std::string> cmd;
  bool v6 = false, mgmt = false;

  auto* up = app.add_subcommand("up", "Bring up a topology; prints its prefix");
  up->add_option("topology", file, "Topology JSON file")->required();
  up->add_option("--prefix", prefix, "Namespace prefix (default: unique)");

  auto* down = app.add_subcommand("down", "Tear a lab down");
  down->add_option("prefix", prefix)->required();

  auto* fault =
      app.add_subcommand("fault", "Add, remove, clear or list faults");
  fault->add_option("prefix", prefix)->required();
  fault->add_option("action", action, "add | remove | clear | list")
      ->required()
      ->check(CLI::IsMember({"add", "remove", "clear", "list"}));
  fault->add_option("arg", arg, "add: fault JSON; remove: fault id");

  auto* exec = app.add_subcommand("exec", "Run a command in a node");
  exec->add_option("prefix", prefix)->required();
  exec->add_option("node", node)->required();
  exec->add_option("cmd", cmd, "Command (after --)")->required();

  auto* addr = app.add_subcommand("addr", "Print a node's address");
  addr->add_option("prefix", prefix)->required();
  addr->add_option("node", node)->required();
  addr->add_option("--peer", peer, "Address on the link to this neighbour");
  addr->add_flag("-6", v6, "IPv6 address");
  addr->add_flag("--mgmt", mgmt, "Management address");

  auto* show = app.add_subcommand("show", "Print nodes, links and faults");
  show->add_option("prefix", prefix)->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // usage errors exit 2
  }

  if (up->parsed()) return grid::lab::Up(file, prefix);
  if (down->parsed()) {
    absl::Status s = Lab::Destroy(prefix);
    return s.ok() ? 0 : Fail(s);
  }
  auto lab = Lab::Attach(prefix);
  if (!lab.ok()) return Fail(lab.status());
  Lab& l = **lab;

  if (show->parsed()) return grid::lab::Show(l);
  if (addr->parsed()) {
    absl::StatusOr<std::string> a =
        mgmt ? l.ManagementAddress(node)
        : !peer.empty()
            ? (v6 ? l.Address6On(node, peer) : l.AddressOn(node, peer))
        : v6 ? l.Address6(node)
             : l.Address(node);
    if (!a.ok()) return Fail(a.status());
    std::cout << *a << "\n";
    return 0;
  }
  if (exec->parsed()) {
    grid::lab::RunOptions ro;
    ro.timeout = absl::Hours(24);
    auto r = l.Run(node, cmd, ro);
    if (!r.ok()) return Fail(r.status());
    std::cout << r->out << std::flush;
    std::cerr << r->err << std::flush;
    return r->exit_code;
  }
  // fault
  if (action == "list") {
    for (const auto& [id, f] : l.ActiveFaults()) {
      std::cout << id << " " << f.Describe() << "\n";
    }
    return 0;
  }
  if (action == "clear") {
    absl::Status s = l.ClearFaults();
    return s.ok() ? 0 : Fail(s);
  }
  if (action == "remove") {
    int id = 0;
    if (!absl::SimpleAtoi(arg, &id)) {
      return Fail(absl::InvalidArgumentError("remove needs a fault id, got '" +
                                             arg + "'"));
    }
    absl::Status s = l.RemoveFault(id);
    return s.ok() ? 0 : Fail(s);
  }
  auto f = grid::lab::ParseFaultJson(arg);
  if (!f.ok()) return Fail(f.status());
  auto id = l.AddFault(*f);
  if (!id.ok()) return Fail(id.status());
  std::cout << *id << "\n";
  return 0;
}
