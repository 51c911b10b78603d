#include "rocksdb_env.hpp"

#include <rocksdb/file_system.h>

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

class faulty_file final : public rocksdb::FSWritableFileOwnerWrapper {
  public:
    faulty_file(std::unique_ptr<rocksdb::FSWritableFile> file, std::shared_ptr<disk_faults> faults)
        : FSWritableFileOwnerWrapper(std::move(file)), faults_(std::move(faults)) {}

    using IOOptions = rocksdb::IOOptions;
    using Debug = rocksdb::IODebugContext;

    rocksdb::IOStatus Append(const rocksdb::Slice& data, const IOOptions& o, Debug* d) override {
        if (const auto k = faults_->get(); k != disk_faults::kind::none) return injected(k);
        return FSWritableFileOwnerWrapper::Append(data, o, d);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const IOOptions& o,
                             const rocksdb::DataVerificationInfo& v, Debug* d) override {
        if (const auto k = faults_->get(); k != disk_faults::kind::none) return injected(k);
        return FSWritableFileOwnerWrapper::Append(data, o, v, d);
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, std::uint64_t offset,
                                       const IOOptions& o, Debug* d) override {
        if (const auto k = faults_->get(); k != disk_faults::kind::none) return injected(k);
        return FSWritableFileOwnerWrapper::PositionedAppend(data, offset, o, d);
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, std::uint64_t offset,
                                       const IOOptions& o, const rocksdb::DataVerificationInfo& v,
                                       Debug* d) override {
        if (const auto k = faults_->get(); k != disk_faults::kind::none) return injected(k);
        return FSWritableFileOwnerWrapper::PositionedAppend(data, offset, o, v, d);
    }
    rocksdb::IOStatus Flush(const IOOptions& o, Debug* d) override {
        if (const auto k = faults_->get(); k != disk_faults::kind::none) return injected(k);
        return FSWritableFileOwnerWrapper::Flush(o, d);
    }
    rocksdb::IOStatus Sync(const IOOptions& o, Debug* d) override {
        if (const auto k = faults_->get(); k != disk_faults::kind::none) return injected(k);
        return FSWritableFileOwnerWrapper::Sync(o, d);
    }
    rocksdb::IOStatus Fsync(const IOOptions& o, Debug* d) override {
        if (const auto k = faults_->get(); k != disk_faults::kind::none) return injected(k);
        return FSWritableFileOwnerWrapper::Fsync(o, d);
    }
    rocksdb::IOStatus RangeSync(std::uint64_t offset, std::uint64_t n, const IOOptions& o,
                                Debug* d) override {
        if (const auto k = faults_->get(); k != disk_faults::kind::none) return injected(k);
        return FSWritableFileOwnerWrapper::RangeSync(offset, n, o, d);
    }

  private:
    std::shared_ptr<disk_faults> faults_;
};

class faulty_file_system final : public rocksdb::FileSystemWrapper {
  public:
    faulty_file_system(std::shared_ptr<rocksdb::FileSystem> base, std::shared_ptr<disk_faults> faults)
        : FileSystemWrapper(std::move(base)), faults_(std::move(faults)) {}

    const char* Name() const override { return "ruche_faulty_file_system"; }

    rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& o,
                                      std::unique_ptr<rocksdb::FSWritableFile>* out,
                                      rocksdb::IODebugContext* d) override {
        return wrap(target()->NewWritableFile(name, o, out, d), out);
    }
    rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& o,
                                         std::unique_ptr<rocksdb::FSWritableFile>* out,
                                         rocksdb::IODebugContext* d) override {
        return wrap(target()->ReopenWritableFile(name, o, out, d), out);
    }
    rocksdb::IOStatus ReuseWritableFile(const std::string& name, const std::string& old,
                                        const rocksdb::FileOptions& o,
                                        std::unique_ptr<rocksdb::FSWritableFile>* out,
                                        rocksdb::IODebugContext* d) override {
        return wrap(target()->ReuseWritableFile(name, old, o, out, d), out);
    }

  private:
    rocksdb::IOStatus wrap(rocksdb::IOStatus opened, std::unique_ptr<rocksdb::FSWritableFile>* out) {
        if (!opened.ok()) return opened;
        if (const auto k = faults_->get(); k != disk_faults::kind::none) {
            out->reset();
            return injected(k);
        }
        *out = std::make_unique<faulty_file>(std::move(*out), faults_);
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
