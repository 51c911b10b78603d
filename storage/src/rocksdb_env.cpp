#include "rocksdb_env.hpp"

#include <rocksdb/file_system.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

namespace ruche::storage::detail {
namespace {

class callback_logger final : public rocksdb::Logger {
  public:
    explicit callback_logger(std::function<void(log_severity, std::string_view)> sink)
        : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL), sink_(std::move(sink)) {}

    using rocksdb::Logger::Logv;
    void Logv(const char* format, va_list ap) override {
        Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap);
    }
    void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
        if (level < GetInfoLogLevel() || !sink_) return;
        char line[1024];
        const int n = std::vsnprintf(line, sizeof line, format, ap);
        if (n < 0) return;
        const auto size = std::min(static_cast<std::size_t>(n), sizeof line - 1);
        sink_(level >= rocksdb::InfoLogLevel::ERROR_LEVEL ? log_severity::error
                                                          : log_severity::warning,
              std::string_view(line, size));
    }

  private:
    std::function<void(log_severity, std::string_view)> sink_;
};

rocksdb::IOStatus injected(disk_faults::kind k) {
    return k == disk_faults::kind::no_space ? rocksdb::IOStatus::NoSpace("injected: disk full")
                                            : rocksdb::IOStatus::IOError("injected: disk failure");
}

// A file that fails on demand and reports what it wrote and synced (for
// disk_faults::copy_after_power_loss).
class faulty_file final : public rocksdb::FSWritableFileOwnerWrapper {
  public:
    faulty_file(std::unique_ptr<rocksdb::FSWritableFile> file, std::shared_ptr<disk_faults> faults,
                std::string name, std::uint64_t size)
        : FSWritableFileOwnerWrapper(std::move(file)),
          faults_(std::move(faults)),
          name_(std::move(name)),
          size_(size) {}

    using IOOptions = rocksdb::IOOptions;
    using Debug = rocksdb::IODebugContext;

    rocksdb::IOStatus Append(const rocksdb::Slice& data, const IOOptions& o, Debug* d) override {
        return wrote(data.size(), [&] { return FSWritableFileOwnerWrapper::Append(data, o, d); });
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const IOOptions& o,
                             const rocksdb::DataVerificationInfo& v, Debug* d) override {
        return wrote(data.size(), [&] { return FSWritableFileOwnerWrapper::Append(data, o, v, d); });
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, std::uint64_t offset,
                                       const IOOptions& o, Debug* d) override {
        return wrote_at(offset + data.size(),
                        [&] { return FSWritableFileOwnerWrapper::PositionedAppend(data, offset, o, d); });
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, std::uint64_t offset,
                                       const IOOptions& o, const rocksdb::DataVerificationInfo& v,
                                       Debug* d) override {
        return wrote_at(offset + data.size(), [&] {
            return FSWritableFileOwnerWrapper::PositionedAppend(data, offset, o, v, d);
        });
    }
    rocksdb::IOStatus Flush(const IOOptions& o, Debug* d) override {
        if (const auto k = faults_->get(); k != disk_faults::kind::none) return injected(k);
        return FSWritableFileOwnerWrapper::Flush(o, d);
    }
    rocksdb::IOStatus Sync(const IOOptions& o, Debug* d) override {
        return synced([&] { return FSWritableFileOwnerWrapper::Sync(o, d); });
    }
    rocksdb::IOStatus Fsync(const IOOptions& o, Debug* d) override {
        return synced([&] { return FSWritableFileOwnerWrapper::Fsync(o, d); });
    }
    rocksdb::IOStatus RangeSync(std::uint64_t offset, std::uint64_t n, const IOOptions& o,
                                Debug* d) override {
        // Not a durability promise (it only starts writeback): not counted as synced.
        if (const auto k = faults_->get(); k != disk_faults::kind::none) return injected(k);
        return FSWritableFileOwnerWrapper::RangeSync(offset, n, o, d);
    }

  private:
    template <typename Write>
    rocksdb::IOStatus wrote(std::uint64_t bytes, Write write) {
        return wrote_at(size_ + bytes, write);
    }
    template <typename Write>
    rocksdb::IOStatus wrote_at(std::uint64_t end, Write write) {
        if (const auto k = faults_->get(); k != disk_faults::kind::none) return injected(k);
        auto status = write();
        if (status.ok()) {
            size_ = std::max(size_, end);
            faults_->written(name_, size_);
        }
        return status;
    }
    template <typename Sync>
    rocksdb::IOStatus synced(Sync sync) {
        if (const auto k = faults_->get(); k != disk_faults::kind::none) return injected(k);
        auto status = sync();
        if (status.ok()) faults_->synced(name_);
        return status;
    }

    std::shared_ptr<disk_faults> faults_;
    std::string name_;
    std::uint64_t size_;
};

class faulty_file_system final : public rocksdb::FileSystemWrapper {
  public:
    faulty_file_system(std::shared_ptr<rocksdb::FileSystem> base, std::shared_ptr<disk_faults> faults)
        : FileSystemWrapper(std::move(base)), faults_(std::move(faults)) {}

    const char* Name() const override { return "ruche_faulty_file_system"; }

    rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& o,
                                      std::unique_ptr<rocksdb::FSWritableFile>* out,
                                      rocksdb::IODebugContext* d) override {
        return wrap(target()->NewWritableFile(name, o, out, d), name, 0, out);
    }
    rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& o,
                                         std::unique_ptr<rocksdb::FSWritableFile>* out,
                                         rocksdb::IODebugContext* d) override {
        std::uint64_t size = 0;
        if (!target()->GetFileSize(name, rocksdb::IOOptions(), &size, d).ok()) size = 0;
        return wrap(target()->ReopenWritableFile(name, o, out, d), name, size, out);
    }
    rocksdb::IOStatus ReuseWritableFile(const std::string& name, const std::string& old,
                                        const rocksdb::FileOptions& o,
                                        std::unique_ptr<rocksdb::FSWritableFile>* out,
                                        rocksdb::IODebugContext* d) override {
        faults_->removed(old);
        return wrap(target()->ReuseWritableFile(name, old, o, out, d), name, 0, out);
    }
    rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to,
                                 const rocksdb::IOOptions& o, rocksdb::IODebugContext* d) override {
        auto status = target()->RenameFile(from, to, o, d);
        if (status.ok()) faults_->renamed(from, to);
        return status;
    }
    rocksdb::IOStatus DeleteFile(const std::string& name, const rocksdb::IOOptions& o,
                                 rocksdb::IODebugContext* d) override {
        auto status = target()->DeleteFile(name, o, d);
        if (status.ok()) faults_->removed(name);
        return status;
    }

  private:
    rocksdb::IOStatus wrap(rocksdb::IOStatus opened, const std::string& name, std::uint64_t size,
                           std::unique_ptr<rocksdb::FSWritableFile>* out) {
        if (!opened.ok()) return opened;
        if (const auto k = faults_->get(); k != disk_faults::kind::none) {
            out->reset();
            return injected(k);
        }
        faults_->written(name, size);
        *out = std::make_unique<faulty_file>(std::move(*out), faults_, name, size);
        return opened;
    }

    std::shared_ptr<disk_faults> faults_;
};

}  // namespace

std::shared_ptr<rocksdb::Logger> make_logger(const options& opts) {
    return std::make_shared<callback_logger>(opts.log);
}

std::unique_ptr<rocksdb::Env> make_faulty_env(std::shared_ptr<disk_faults> faults) {
    if (!faults) return nullptr;
    auto fs = std::make_shared<faulty_file_system>(rocksdb::FileSystem::Default(), std::move(faults));
    return rocksdb::NewCompositeEnv(fs);
}

}  // namespace ruche::storage::detail
