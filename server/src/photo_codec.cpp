// Re-encoding photos with libvips (its C API: no exception to catch, every
// failure a return value). See photo_codec.hpp.

#include "photo_codec.hpp"

#include <vips/vips.h>

#include <cstdint>
#include <cstring>
#include <utility>

namespace ruche::server {
namespace {

// Owns one reference to a VipsImage.
class image_ref {
  public:
    image_ref() = default;
    image_ref(const image_ref&) = delete;
    image_ref& operator=(const image_ref&) = delete;
    ~image_ref() { reset(); }
    VipsImage** out() {
        reset();
        return &image_;
    }
    VipsImage* get() const { return image_; }
    void swap(image_ref& other) noexcept { std::swap(image_, other.image_); }

  private:
    void reset() {
        if (image_) g_object_unref(image_);
        image_ = nullptr;
    }
    VipsImage* image_ = nullptr;
};

// libvips keeps the last errors in a process-wide buffer: each failure here
// becomes a value, so the buffer is emptied rather than left to grow.
template <class T>
T failed(T value) {
    vips_error_clear();
    return value;
}

bool starts_with(std::string_view bytes, std::string_view prefix) {
    return bytes.substr(0, prefix.size()) == prefix;
}

// `image` as a JPEG without any metadata.
bool save_jpeg(VipsImage* image, std::string& out) {
    void* buffer = nullptr;
    std::size_t length = 0;
    if (vips_jpegsave_buffer(image, &buffer, &length, "Q", 80, "strip", TRUE, "optimize_coding", TRUE,
                             nullptr) != 0) {
        return false;
    }
    out.assign(static_cast<const char*>(buffer), length);
    g_free(buffer);
    return true;
}

// The image of `bytes`, upright (EXIF orientation applied), with its long
// side at most `long_side`, without alpha (flattened on white).
bool shrink(std::string_view bytes, int long_side, image_ref& out) {
    // libvips does not write to the buffer; its API just is not const.
    void* data = const_cast<char*>(bytes.data());
    if (vips_thumbnail_buffer(data, bytes.size(), out.out(), long_side, "height", long_side, "size",
                              VIPS_SIZE_DOWN, nullptr) != 0) {
        return false;
    }
    if (vips_image_hasalpha(out.get())) {
        VipsArrayDouble* white = vips_array_double_newv(1, 255.0);
        image_ref flat;
        const int failed_flatten = vips_flatten(out.get(), flat.out(), "background", white, nullptr);
        vips_area_unref(reinterpret_cast<VipsArea*>(white));
        if (failed_flatten != 0) return false;
        out.swap(flat);
    }
    return true;
}

}  // namespace

bool photo_codec_init() {
    static const bool started = [] {
        if (vips_init("ruche") != 0) return failed(false);
        // Only the loaders libvips fuzzes; these bytes come from anyone.
        vips_block_untrusted_set(TRUE);
        // No operation cache: every photo is decoded once, and an upload's
        // buffer must not be kept alive by a cached operation.
        vips_cache_set_max(0);
        vips_concurrency_set(2);
        // A damaged upload makes libvips warn on stderr (a truncated JPEG...):
        // the upload is answered with its error, the server's log stays clean.
        g_log_set_handler("VIPS", static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO),
                          [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {}, nullptr);
        return true;
    }();
    return started;
}

bool sniff_photo(std::string_view bytes, photo_format& out) noexcept {
    if (starts_with(bytes, "\xFF\xD8\xFF")) {
        out = photo_format::jpeg;
        return true;
    }
    if (starts_with(bytes, "\x89PNG\r\n\x1A\n")) {
        out = photo_format::png;
        return true;
    }
    if (bytes.size() >= 12 && starts_with(bytes, "RIFF") && bytes.substr(8, 4) == "WEBP") {
        out = photo_format::webp;
        return true;
    }
    return false;
}

std::string_view to_string(photo_failure f) noexcept {
    switch (f) {
        case photo_failure::not_an_image: return "not_an_image";
        case photo_failure::too_many_pixels: return "too_many_pixels";
        case photo_failure::undecodable: return "undecodable";
        case photo_failure::encode_failed: return "encode_failed";
    }
    return "undecodable";
}

std::variant<encoded_photo, photo_failure> reencode_photo(std::string_view bytes) {
    photo_format format{};
    if (!sniff_photo(bytes, format)) return photo_failure::not_an_image;
    if (!photo_codec_init()) return photo_failure::encode_failed;

    // The header only: libvips decodes pixels when they are asked for.
    image_ref header;
    *header.out() = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", "access",
                                               VIPS_ACCESS_SEQUENTIAL, nullptr);
    if (!header.get()) return failed(photo_failure::undecodable);
    const char* loader = nullptr;
    if (vips_image_get_string(header.get(), "vips-loader", &loader) != 0 || loader == nullptr) {
        return failed(photo_failure::undecodable);
    }
    const std::string_view expected = format == photo_format::jpeg  ? "jpegload"
                                      : format == photo_format::png ? "pngload"
                                                                    : "webpload";
    if (!starts_with(loader, expected)) return photo_failure::not_an_image;
    const auto width = static_cast<std::uint64_t>(vips_image_get_width(header.get()));
    const auto height = static_cast<std::uint64_t>(vips_image_get_height(header.get()));
    if (width == 0 || height == 0) return photo_failure::undecodable;
    if (width * height > photo_pixels_max) return photo_failure::too_many_pixels;

    encoded_photo out;
    image_ref full;
    if (!shrink(bytes, photo_long_side, full)) return failed(photo_failure::undecodable);
    if (!save_jpeg(full.get(), out.full)) return failed(photo_failure::undecodable);
    out.width = vips_image_get_width(full.get());
    out.height = vips_image_get_height(full.get());
    // The thumbnail from the clean JPEG: upright already, nothing to strip.
    image_ref thumb;
    if (!shrink(out.full, thumb_long_side, thumb)) return failed(photo_failure::encode_failed);
    if (!save_jpeg(thumb.get(), out.thumb)) return failed(photo_failure::encode_failed);
    return out;
}

}  // namespace ruche::server
