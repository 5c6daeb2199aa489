#pragma once
// The web page's static files, compiled into the binary from api/web/ at
// build time (api/embed_web_assets.cmake), so the server needs no files at
// run time and the page needs nothing from the internet.
//
//   GET /                 index.html
//   GET /assets/NAME      api/web/NAME (app.js, style.css, ...)
//   GET /favicon.ico      icon.svg
//
// Every answer carries its Content-Type, a strong ETag (a SHA-256 prefix of
// the content; If-None-Match gives 304), "Cache-Control: no-cache" (reuse
// after revalidation: file names carry no version), and the security
// headers: a strict Content-Security-Policy (kContentSecurityPolicy: only
// this origin's scripts, styles and API; no inline script, no framing),
// X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer.

#include <cstddef>
#include <optional>
#include <string_view>

#include "api/http/message.h"

namespace turnaround::api {

struct EmbeddedAsset {
  const char* name;          // file name in api/web/
  const char* content_type;
  const unsigned char* data;
  std::size_t size;
  const char* etag;          // quoted
};

// The generated table (web_assets_data.cpp in the build directory).
extern const EmbeddedAsset kEmbeddedAssets[];
extern const std::size_t kEmbeddedAssetCount;

inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

// The asset `name`, or null.
const EmbeddedAsset* find_asset(std::string_view name);

// The response for a request of the page's paths ("/", "/index.html",
// "/assets/..."); nullopt for every other path (the API's). 404 for an
// unknown asset, 405 for a method other than GET.
std::optional<HttpResponse> web_asset_response(const HttpRequest& request);

}  // namespace turnaround::api
