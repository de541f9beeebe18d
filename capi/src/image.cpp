// Images in: JPEG through libjpeg (libjpeg-turbo), PNG through libpng, each decoded in full
// once, row by row, so a truncated or corrupt file is refused before an engine sees it. The
// decoders are stricter than most: libjpeg's "corrupt data" warnings (which it would paper
// over with grey) count as errors, and a PNG must run to its IEND chunk.
//
// Both libraries report errors by longjmp out of a callback, so each decode runs in a
// function that holds no C++ object with a destructor between setjmp and the decoder calls.
#include "media.h"

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

namespace omni {

namespace {

enum class Decoded { ok, bad, too_large };

// A JPEG / PNG whose size is known, before any pixels are decoded.
bool size_allowed(long w, long h) {
    return w >= 1 && h >= 1 && w <= kMaxImageSide && h <= kMaxImageSide &&
           std::max(w, h) <= long(kMaxImageAspect) * std::min(w, h);
}

struct DecodeResult {
    Decoded status = Decoded::bad;
    long width = 0, height = 0;
    char why[JMSG_LENGTH_MAX + 64] = "";
};

// ---- JPEG ---------------------------------------------------------------------------------

// libjpeg-turbo's advice for untrusted input: a progressive JPEG can hold thousands of tiny
// scans that cost minutes to decode; real encoders write about ten.
constexpr int kMaxJpegScans = 500;

struct JpegFail {
    jpeg_error_mgr mgr;
    jmp_buf jump;
    DecodeResult *out;
};

void jpeg_fail(j_common_ptr c) {
    auto *f = reinterpret_cast<JpegFail *>(c->err);
    char msg[JMSG_LENGTH_MAX];
    (*c->err->format_message)(c, msg);
    std::snprintf(f->out->why, sizeof f->out->why, "%s", msg);
    std::longjmp(f->jump, 1);
}

// Level -1 is a warning, which for libjpeg mostly means damaged data it decodes anyway (grey
// blocks, a missing end). Only the two about unknown metadata versions are let pass.
void jpeg_message(j_common_ptr c, int level) {
    if (level < 0 && c->err->msg_code != JWRN_JFIF_MAJOR && c->err->msg_code != JWRN_ADOBE_XFORM) jpeg_fail(c);
}

void jpeg_progress(j_common_ptr c) {
    auto *d = reinterpret_cast<j_decompress_ptr>(c);
    if (d->input_scan_number > kMaxJpegScans) {
        auto *f = reinterpret_cast<JpegFail *>(c->err);
        std::snprintf(f->out->why, sizeof f->out->why, "more than %d progressive scans", kMaxJpegScans);
        std::longjmp(f->jump, 1);
    }
}

void decode_jpeg(const uint8_t *b, size_t n, DecodeResult *out) {
    jpeg_decompress_struct cinfo;
    JpegFail fail;
    jpeg_progress_mgr progress;
    fail.out = out;
    cinfo.err = jpeg_std_error(&fail.mgr);
    fail.mgr.error_exit = jpeg_fail;
    fail.mgr.emit_message = jpeg_message;
    if (setjmp(fail.jump)) {
        jpeg_destroy_decompress(&cinfo);
        out->status = Decoded::bad;
        return;
    }
    jpeg_create_decompress(&cinfo);
    progress.progress_monitor = jpeg_progress;
    cinfo.progress = &progress;
    jpeg_mem_src(&cinfo, const_cast<unsigned char *>(b), static_cast<unsigned long>(n));
    jpeg_read_header(&cinfo, TRUE);
    out->width = long(cinfo.image_width);
    out->height = long(cinfo.image_height);
    if (!size_allowed(out->width, out->height)) {
        jpeg_destroy_decompress(&cinfo);
        out->status = Decoded::too_large;
        return;
    }
    cinfo.dct_method = JDCT_IFAST;  // validation only: the fast paths see every byte all the same
    cinfo.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&cinfo);
    JSAMPARRAY row = (*cinfo.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&cinfo), JPOOL_IMAGE,
                                                cinfo.output_width * JDIMENSION(cinfo.output_components), 1);
    while (cinfo.output_scanline < cinfo.output_height) jpeg_read_scanlines(&cinfo, row, 1);
    jpeg_finish_decompress(&cinfo);  // reads on to the end-of-image marker
    jpeg_destroy_decompress(&cinfo);
    out->status = Decoded::ok;
}

// ---- PNG ----------------------------------------------------------------------------------

struct PngSource {
    const uint8_t *data;
    size_t size, pos;
    DecodeResult *out;
    png_bytep volatile row;  // freed on the error path too
};

void png_fail(png_structp p, png_const_charp msg) {
    auto *src = static_cast<PngSource *>(png_get_error_ptr(p));
    std::snprintf(src->out->why, sizeof src->out->why, "%s", msg);
    png_longjmp(p, 1);
}

// libpng warns about harmless things real files carry (an sRGB profile it knows to be
// slightly off, a bad ancillary chunk it skips); damaged pixel data is an error.
void png_warn(png_structp, png_const_charp) {}

void png_read_mem(png_structp p, png_bytep dst, size_t n) {
    auto *src = static_cast<PngSource *>(png_get_io_ptr(p));
    if (n > src->size - src->pos) png_error(p, "the file ends before the image does");
    std::memcpy(dst, src->data + src->pos, n);
    src->pos += n;
}

void decode_png(const uint8_t *b, size_t n, DecodeResult *out) {
    PngSource src{b, n, 0, out, nullptr};
    png_structp p = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_fail, png_warn);
    png_infop info = p ? png_create_info_struct(p) : nullptr;
    if (!info) {
        png_destroy_read_struct(&p, nullptr, nullptr);
        std::snprintf(out->why, sizeof out->why, "out of memory");
        out->status = Decoded::bad;
        return;
    }
    if (setjmp(png_jmpbuf(p))) {
        if (src.row) png_free(p, src.row);
        png_destroy_read_struct(&p, &info, nullptr);
        out->status = Decoded::bad;
        return;
    }
    png_set_read_fn(p, &src, png_read_mem);
    png_set_user_limits(p, 0x7fffffff, 0x7fffffff);  // our own limits below, with our own status
    png_read_info(p, info);
    out->width = long(png_get_image_width(p, info));
    out->height = long(png_get_image_height(p, info));
    if (!size_allowed(out->width, out->height)) {
        png_destroy_read_struct(&p, &info, nullptr);
        out->status = Decoded::too_large;
        return;
    }
    int passes = png_set_interlace_handling(p);
    png_read_update_info(p, info);
    src.row = static_cast<png_bytep>(png_malloc(p, png_get_rowbytes(p, info)));
    for (int pass = 0; pass < passes; pass++)
        for (long y = 0; y < out->height; y++) png_read_row(p, src.row, nullptr);
    png_read_end(p, nullptr);  // the chunks after the pixels, up to IEND
    png_free(p, src.row);
    src.row = nullptr;
    png_destroy_read_struct(&p, &info, nullptr);
    out->status = Decoded::ok;
}

}  // namespace

Image image_from_bytes(const void *bytes, size_t n) {
    if (!bytes) throw Error(OMNI_ERR_INVALID_ARGUMENT, "image bytes pointer is NULL");
    if (n == 0) throw Error(OMNI_ERR_INVALID_ARGUMENT, "image is empty (0 bytes)");
    if (n > 0x7fffffff) throw Error(OMNI_ERR_TOO_LARGE, "image is larger than 2 GiB");
    const auto *b = static_cast<const uint8_t *>(bytes);
    static const uint8_t kJpeg[] = {0xFF, 0xD8, 0xFF};
    static const uint8_t kPng[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    DecodeResult r;
    const char *kind;
    if (n >= sizeof kJpeg && std::memcmp(b, kJpeg, sizeof kJpeg) == 0) {
        kind = "JPEG";
        decode_jpeg(b, n, &r);
    } else if (n >= sizeof kPng && std::memcmp(b, kPng, sizeof kPng) == 0) {
        kind = "PNG";
        decode_png(b, n, &r);
    } else {
        throw Error(OMNI_ERR_BAD_MEDIA, "bytes are not a decodable image: send a JPEG or PNG file (these " +
                                            std::to_string(n) + " bytes start like neither)");
    }
    const std::string size = std::to_string(r.width) + "x" + std::to_string(r.height);
    if (r.status == Decoded::too_large) {
        if (r.width > kMaxImageSide || r.height > kMaxImageSide)
            throw Error(OMNI_ERR_TOO_LARGE, "image is " + size + "; the largest side allowed is " +
                                                std::to_string(kMaxImageSide));
        throw Error(OMNI_ERR_TOO_LARGE, "image is " + size + "; the aspect ratio may not exceed " +
                                            std::to_string(kMaxImageAspect) + ":1");
    }
    if (r.status != Decoded::ok)
        throw Error(OMNI_ERR_BAD_MEDIA, std::string("the ") + kind + " image could not be decoded (" + r.why + ")");
    Image img;
    img.encoded.assign(b, b + n);
    img.width = int(r.width);
    img.height = int(r.height);
    return img;
}

}  // namespace omni
