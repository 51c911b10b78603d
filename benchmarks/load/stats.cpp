#include "stats.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace ruche::load {

double latencies::quantile_ms(double q) {
    if (samples_.empty()) return 0;
    if (!sorted_) std::sort(samples_.begin(), samples_.end());
    sorted_ = true;
    const double rank = std::ceil(q * static_cast<double>(samples_.size())) - 1;
    const auto last = static_cast<double>(samples_.size() - 1);
    const auto index = static_cast<std::size_t>(std::clamp(rank, 0.0, last));
    return static_cast<double>(samples_[index]) / 1e6;
}

process_sample sample_process(pid_t pid) {
    const std::string dir = pid == 0 ? "/proc/self" : "/proc/" + std::to_string(pid);
    process_sample s;
    std::ifstream stat(dir + "/stat");
    std::string line;
    if (std::getline(stat, line)) {
        // Fields after the command name, which is in parentheses and may hold spaces.
        std::istringstream rest(line.substr(line.rfind(')') + 2));
        std::string field;
        double utime = 0, stime = 0;
        for (int i = 3; rest >> field; ++i) {
            if (i == 14) utime = std::stod(field);
            if (i == 15) {
                stime = std::stod(field);
                break;
            }
        }
        s.cpu_seconds = (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
    std::ifstream status(dir + "/status");
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            s.rss_bytes = std::stoll(line.substr(6)) * 1024;
            break;
        }
    }
    return s;
}

}  // namespace ruche::load
