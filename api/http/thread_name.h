#pragma once
// Names the calling thread (at most 15 characters show), so that `top -H`,
// `ps -L` and perf tell the server's threads apart: ta-io (the I/O threads
// besides the main one), ta-ingest, ta-scheduler, ta-checkpoint. The main
// thread keeps the program's name, which `ps` and `pkill` go by.

#include <pthread.h>

namespace turnaround::api {

inline void name_this_thread(const char* name) {
#ifdef __linux__
  pthread_setname_np(pthread_self(), name);
#else
  (void)name;
#endif
}

}  // namespace turnaround::api
