// The `turnaround` executable: all behaviour lives in the libraries; this
// only hands the arguments over.
#include <iostream>

#include "api/cli/commands.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  turnaround::api::Argv args(argv + 1, argv + argc);
  turnaround::api::Io io{std::cout, std::cerr};
  int rc = turnaround::api::run_cli(args, io);
  std::cout.flush();
  return rc;
}
