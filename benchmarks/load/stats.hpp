#pragma once

// What a load run measures besides its own clock: latency samples and their
// percentiles, a process's CPU time and resident memory from /proc, and the
// generator's own CPU time (so a run can show it was not the bottleneck).

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ruche::load {

// Every sample is kept (nanoseconds): exact percentiles, a few MB per run.
class latencies {
  public:
    void add(std::int64_t ns) { samples_.push_back(ns); }
    void clear() { samples_.clear(); }
    std::size_t count() const { return samples_.size(); }
    // In milliseconds; 0 when empty. `q` in [0, 1].
    double quantile_ms(double q);

  private:
    std::vector<std::int64_t> samples_;
    bool sorted_ = false;
};

struct process_sample {
    double cpu_seconds = 0;  // user + system
    std::int64_t rss_bytes = 0;
};

// Reads /proc/<pid>; pid 0 is this process.
process_sample sample_process(pid_t pid);

}  // namespace ruche::load
