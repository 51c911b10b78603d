#pragma once

// Photos people attach to notes, made safe to keep and to show: the bytes a
// phone sent are decoded by libvips (JPEG, PNG or WebP only, told by their
// content, never by a name or a Content-Type), turned upright (EXIF
// orientation), shrunk, and saved again as JPEG without any metadata (EXIF
// holds the place, the phone and the time), with a thumbnail.
//
// libvips is a C library with threads of its own: `photo_codec_init` starts
// it once, before any other call (main, or a test's setup). Every other call
// is thread-safe, and never throws: a failure is a value.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace ruche::server {

inline constexpr std::size_t photo_upload_max = 3 * 1024 * 1024;  // bytes of an upload
inline constexpr std::size_t photo_pixels_max = 40'000'000;       // checked before decoding
inline constexpr int photo_long_side = 1600;
inline constexpr int thumb_long_side = 320;

// Starts libvips once (later calls do nothing); false when it cannot start.
bool photo_codec_init();

enum class photo_format { jpeg, png, webp };
// What the first bytes say the image is, if one of the three.
bool sniff_photo(std::string_view bytes, photo_format& out) noexcept;

enum class photo_failure {
    not_an_image,     // not JPEG, PNG or WebP by its first bytes
    too_many_pixels,  // larger than photo_pixels_max: refused before decoding
    undecodable,      // says it is an image, but libvips cannot read it
    encode_failed,    // libvips could not write the JPEG (memory...)
};
std::string_view to_string(photo_failure f) noexcept;

struct encoded_photo {
    std::string full;   // JPEG, long side <= photo_long_side, no metadata
    std::string thumb;  // JPEG, long side <= thumb_long_side, no metadata
    int width = 0;      // of `full`
    int height = 0;
};

std::variant<encoded_photo, photo_failure> reencode_photo(std::string_view bytes);

}  // namespace ruche::server
