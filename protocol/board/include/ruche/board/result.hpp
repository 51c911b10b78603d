#pragma once

#include <utility>
#include <variant>

#include "ruche/board/errc.hpp"

namespace ruche::protocol {

// A value or the reason it could not be produced.
template <typename T>
class result {
  public:
    result(T value) : v_(std::move(value)) {}
    result(rejection why) : v_(std::move(why)) {}
    result(std::error_code code, std::string detail = {}) : v_(rejection{code, std::move(detail)}) {}

    bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    const rejection& error() const { return std::get<1>(v_); }

    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

  private:
    std::variant<T, rejection> v_;
};

}  // namespace ruche::protocol
