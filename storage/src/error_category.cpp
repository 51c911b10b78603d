// The "ruche.storage" error category: stable codes, human messages.

#include <string>
#include <system_error>

#include "ruche/storage/op_log.hpp"

namespace ruche::storage {
namespace {

class storage_category_impl final : public std::error_category {
  public:
    const char* name() const noexcept override { return "ruche.storage"; }

    std::string message(int value) const override {
        switch (static_cast<errc>(value)) {
            case errc::invalid_session_id:
                return "invalid session id: expected 16 characters from [a-z0-9]";
            case errc::sequence_gap:
                return "sequence numbers do not follow the session head";
            case errc::duplicate_client_op_id:
                return "client operation id already used in this session";
            case errc::not_found:
                return "not found";
            case errc::io_error:
                return "storage input/output error";
            case errc::corruption:
                return "stored data is corrupted";
            case errc::busy:
                return "storage is busy, try again";
            case errc::no_space:
                return "no space left on the storage device";
            case errc::not_empty:
                return "the directory is not empty";
            case errc::invalid_photo_id:
                return "invalid photo id: expected 1 to 32 characters from [a-z0-9]";
        }
        return "unknown storage error";
    }
};

}  // namespace

const std::error_category& storage_category() noexcept {
    static const storage_category_impl category;
    return category;
}

std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), storage_category()};
}

}  // namespace ruche::storage
