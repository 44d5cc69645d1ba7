#pragma once

#include <string>
#include <string_view>

namespace eddy::sql {

/// Message digests as lower-case hex, for Flink's MD5, SHA1, SHA256 (and SHA2(s, 256)).
std::string md5Hex(std::string_view data);
std::string sha1Hex(std::string_view data);
std::string sha256Hex(std::string_view data);
/// SHA-224, SHA-384 or SHA-512 (`bits`) as lower-case hex (OpenSSL's), for SHA224,
/// SHA384, SHA512 and SHA2(s, bits).
std::string sha2Hex(std::string_view data, int bits);

/// Bytes as hex digits, two per byte: lower case (the digests', the SQL client's x'..'),
/// or upper case (HEX).
std::string hexOf(std::string_view bytes, bool upper = false);

/// Base64 (RFC 4648, with padding), for TO_BASE64 / FROM_BASE64; fromBase64 returns
/// false on a malformed input.
std::string toBase64(std::string_view data);
bool fromBase64(std::string_view text, std::string& out);

}  // namespace eddy::sql
