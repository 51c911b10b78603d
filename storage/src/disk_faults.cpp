// What a power loss would leave of the files the op log wrote (see
// disk_faults in op_log.hpp): the file system under the op log reports every
// append, sync, rename and removal here.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "ruche/storage/op_log.hpp"

namespace ruche::storage {
namespace {

std::string normal(const std::string& path) {
    return std::filesystem::path(path).lexically_normal().string();
}

}  // namespace

void disk_faults::written(const std::string& file, std::uint64_t size) {
    const std::lock_guard lock(files_mutex_);
    auto& f = files_[normal(file)];
    f.size = std::max(f.size, size);
}

void disk_faults::synced(const std::string& file) {
    const std::lock_guard lock(files_mutex_);
    auto& f = files_[normal(file)];
    f.synced = f.size;
    f.ever_synced = true;
}

void disk_faults::renamed(const std::string& from, const std::string& to) {
    const std::lock_guard lock(files_mutex_);
    auto it = files_.find(normal(from));
    if (it == files_.end()) return;
    files_[normal(to)] = it->second;
    files_.erase(normal(from));
}

void disk_faults::removed(const std::string& file) {
    const std::lock_guard lock(files_mutex_);
    files_.erase(normal(file));
}

bool disk_faults::copy_after_power_loss(const std::string& from, const std::string& to) const {
    const std::lock_guard lock(files_mutex_);
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(from, ec)) {
        if (!entry.is_regular_file()) continue;
        std::uint64_t keep = entry.file_size(ec);
        if (ec) return false;
        if (auto it = files_.find(normal(entry.path().string())); it != files_.end()) {
            // Written since the log was opened: only what was synced survives,
            // and a file never synced is not there at all.
            if (!it->second.ever_synced) continue;
            keep = std::min(keep, it->second.synced);
        }
        std::ifstream in(entry.path(), std::ios::binary);
        std::ofstream out(std::filesystem::path(to) / entry.path().filename(), std::ios::binary);
        std::string bytes(keep, '\0');
        if (!in.read(bytes.data(), static_cast<std::streamsize>(keep)) ||
            !out.write(bytes.data(), static_cast<std::streamsize>(keep))) {
            return false;
        }
    }
    return !ec;
}

}  // namespace ruche::storage
