#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "eddy/core/status.h"

namespace eddy {

// Binary serialization of state for snapshots (Flink's TypeSerializer, in C++ idiom):
// a type is serializable when it is arithmetic, a string, a pair/tuple/vector/optional/
// map of serializable types, trivially copyable, or has members
// `void serialize(DataOutputView&) const` and `static Result<T> deserialize(DataInputView&)`.
// Integers are little-endian fixed width; lengths are unsigned LEB128 varints.

/// An append-only byte buffer.
class DataOutputView {
 public:
  void writeBytes(const void* data, size_t n) {
    const auto* p = static_cast<const char*>(data);
    buf_.append(p, n);
  }
  template <typename T>
    requires std::is_arithmetic_v<T>
  void write(T v) {
    writeBytes(&v, sizeof(T));
  }
  void writeVarint(uint64_t v) {
    while (v >= 0x80) {
      buf_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    buf_.push_back(static_cast<char>(v));
  }
  void writeString(std::string_view s) {
    writeVarint(s.size());
    writeBytes(s.data(), s.size());
  }
  const std::string& data() const { return buf_; }
  std::string release() { return std::move(buf_); }
  size_t size() const { return buf_.size(); }
  /// Drops the contents and keeps the capacity, for reuse as a scratch buffer.
  void clear() { buf_.clear(); }
  /// Shortens the contents to their first `n` bytes.
  void truncate(size_t n) { buf_.resize(n); }

 private:
  std::string buf_;
};

/// Reads what a DataOutputView wrote; running past the end is an error, never a crash.
class DataInputView {
 public:
  explicit DataInputView(std::string_view data) : data_(data) {}

  Status readBytes(void* out, size_t n) {
    if (n > data_.size() - pos_) return truncated(n);
    std::memcpy(out, data_.data() + pos_, n);
    pos_ += n;
    return Status::ok();
  }
  template <typename T>
    requires std::is_arithmetic_v<T>
  Result<T> read() {
    T v{};
    EDDY_RETURN_IF_ERROR(readBytes(&v, sizeof(T)));
    return v;
  }
  Result<uint64_t> readVarint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return truncated(1);
      auto b = static_cast<uint8_t>(data_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return Status::invalidArgument("corrupt varint at byte " + std::to_string(pos_));
  }
  Result<std::string> readString() {
    EDDY_ASSIGN_OR_RETURN(uint64_t n, readVarint());
    if (n > data_.size() - pos_) return truncated(n);
    std::string s(data_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  bool atEnd() const { return pos_ == data_.size(); }
  size_t position() const { return pos_; }

 private:
  Status truncated(uint64_t wanted) const {
    return Status::invalidArgument("truncated data: wanted " + std::to_string(wanted) + " bytes at byte " +
                                   std::to_string(pos_) + " of " + std::to_string(data_.size()));
  }
  std::string_view data_;
  size_t pos_ = 0;
};

template <typename T, typename = void>
struct Serializer;  // Specialized below; undefined for types that cannot be serialized.

/// True for templates with their own Serializer specialization even when they are
/// trivially copyable (so the byte-copy serializer stays out of the way); specialize it
/// next to such a serializer.
template <typename T>
struct HasOwnSerializer : std::false_type {};
template <typename T>
struct HasOwnSerializer<std::optional<T>> : std::true_type {};
template <typename A, typename B>
struct HasOwnSerializer<std::pair<A, B>> : std::true_type {};
template <typename... Ts>
struct HasOwnSerializer<std::tuple<Ts...>> : std::true_type {};

/// True when T can be written to a snapshot.
template <typename T>
concept Serializable = requires(const T& v, DataOutputView& out, DataInputView& in) {
  Serializer<T>::write(v, out);
  { Serializer<T>::read(in) } -> std::same_as<Result<T>>;
};

template <typename T>
void serialize(const T& v, DataOutputView& out) {
  Serializer<T>::write(v, out);
}
template <typename T>
Result<T> deserialize(DataInputView& in) {
  return Serializer<T>::read(in);
}

template <typename T>
struct Serializer<T, std::enable_if_t<std::is_arithmetic_v<T>>> {
  static void write(T v, DataOutputView& out) { out.write(v); }
  static Result<T> read(DataInputView& in) { return in.read<T>(); }
};

template <>
struct Serializer<std::string> {
  static void write(const std::string& v, DataOutputView& out) { out.writeString(v); }
  static Result<std::string> read(DataInputView& in) { return in.readString(); }
};

template <typename A, typename B>
  requires Serializable<A> && Serializable<B>
struct Serializer<std::pair<A, B>> {
  static void write(const std::pair<A, B>& v, DataOutputView& out) {
    serialize(v.first, out);
    serialize(v.second, out);
  }
  static Result<std::pair<A, B>> read(DataInputView& in) {
    EDDY_ASSIGN_OR_RETURN(A a, deserialize<A>(in));
    EDDY_ASSIGN_OR_RETURN(B b, deserialize<B>(in));
    return std::pair<A, B>(std::move(a), std::move(b));
  }
};

template <typename... Ts>
  requires(Serializable<Ts> && ...)
struct Serializer<std::tuple<Ts...>> {
  static void write(const std::tuple<Ts...>& v, DataOutputView& out) {
    std::apply([&](const auto&... f) { (serialize(f, out), ...); }, v);
  }
  static Result<std::tuple<Ts...>> read(DataInputView& in) {
    std::tuple<Ts...> t;
    Status st;
    std::apply(
        [&](auto&... f) {
          ((st.isOk() ? void(readInto(in, f, st)) : void()), ...);
        },
        t);
    if (!st.isOk()) return st;
    return t;
  }

 private:
  template <typename F>
  static void readInto(DataInputView& in, F& f, Status& st) {
    Result<F> r = deserialize<F>(in);
    if (!r.isOk()) {
      st = r.status();
      return;
    }
    f = std::move(r).value();
  }
};

template <typename T>
  requires Serializable<T>
struct Serializer<std::vector<T>> {
  static void write(const std::vector<T>& v, DataOutputView& out) {
    out.writeVarint(v.size());
    for (const T& e : v) serialize(e, out);
  }
  static Result<std::vector<T>> read(DataInputView& in) {
    EDDY_ASSIGN_OR_RETURN(uint64_t n, in.readVarint());
    std::vector<T> v;
    for (uint64_t i = 0; i < n; ++i) {
      EDDY_ASSIGN_OR_RETURN(T e, deserialize<T>(in));
      v.push_back(std::move(e));
    }
    return v;
  }
};

template <typename T>
  requires Serializable<T>
struct Serializer<std::optional<T>> {
  static void write(const std::optional<T>& v, DataOutputView& out) {
    out.write<uint8_t>(v.has_value() ? 1 : 0);
    if (v) serialize(*v, out);
  }
  static Result<std::optional<T>> read(DataInputView& in) {
    EDDY_ASSIGN_OR_RETURN(uint8_t has, in.read<uint8_t>());
    if (!has) return std::optional<T>();
    EDDY_ASSIGN_OR_RETURN(T v, deserialize<T>(in));
    return std::optional<T>(std::move(v));
  }
};

template <typename Map>
struct MapSerializer {
  using K = typename Map::key_type;
  using V = typename Map::mapped_type;
  static void write(const Map& m, DataOutputView& out) {
    out.writeVarint(m.size());
    for (const auto& [k, v] : m) {
      serialize(k, out);
      serialize(v, out);
    }
  }
  static Result<Map> read(DataInputView& in) {
    EDDY_ASSIGN_OR_RETURN(uint64_t n, in.readVarint());
    Map m;
    for (uint64_t i = 0; i < n; ++i) {
      EDDY_ASSIGN_OR_RETURN(K k, deserialize<K>(in));
      EDDY_ASSIGN_OR_RETURN(V v, deserialize<V>(in));
      m.emplace(std::move(k), std::move(v));
    }
    return m;
  }
};
template <typename K, typename V, typename C, typename A>
  requires Serializable<K> && Serializable<V>
struct Serializer<std::map<K, V, C, A>> : MapSerializer<std::map<K, V, C, A>> {};
template <typename K, typename V, typename H, typename E, typename A>
  requires Serializable<K> && Serializable<V>
struct Serializer<std::unordered_map<K, V, H, E, A>> : MapSerializer<std::unordered_map<K, V, H, E, A>> {};

/// Types that say how to write themselves.
template <typename T>
struct Serializer<T, std::enable_if_t<requires(const T& v, DataOutputView& out, DataInputView& in) {
                    v.serialize(out);
                    { T::deserialize(in) } -> std::same_as<Result<T>>;
                  }>> {
  static void write(const T& v, DataOutputView& out) { v.serialize(out); }
  static Result<T> read(DataInputView& in) { return T::deserialize(in); }
};

/// True when T is written as its raw bytes (the plain-struct serializer below).
template <typename T>
constexpr bool kWrittenAsBytes = std::is_trivially_copyable_v<T> && std::is_class_v<T> && !HasOwnSerializer<T>::value &&
                                 !requires(const T& v, DataOutputView& out) { v.serialize(out); };

/// True when equal values of T always serialize to equal bytes, as keys compared by
/// their bytes (RocksDB) need: not so for structs with padding (or empty ones), whose
/// padding bytes are indeterminate. Such types need serialize/deserialize members.
template <typename T>
constexpr bool kCanonicalBytes = !kWrittenAsBytes<T> || std::has_unique_object_representations_v<T>;

/// Plain structs of plain fields (no pointers): their bytes. The layout must not change
/// between writing and reading, which holds for one build of a job.
template <typename T>
struct Serializer<T, std::enable_if_t<std::is_trivially_copyable_v<T> && std::is_class_v<T> &&
                                      !HasOwnSerializer<T>::value &&
                                      !requires(const T& v, DataOutputView& out) { v.serialize(out); }>> {
  static void write(const T& v, DataOutputView& out) { out.writeBytes(&v, sizeof(T)); }
  static Result<T> read(DataInputView& in) {
    T v;
    EDDY_RETURN_IF_ERROR(in.readBytes(&v, sizeof(T)));
    return v;
  }
};

}  // namespace eddy
