# Every dependency comes from Debian bookworm packages (deploy/bootstrap.sh installs them).
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(spdlog REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(prometheus-cpp CONFIG REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka++ rdkafka)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# Notification's channels (webhooks, SMTP, SMS gateways) and signatures.
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
# Debian's cpp-httplib is the split (compiled) build, made with OpenSSL/zlib/brotli support; its
# header must be read with the module's cflags (they change httplib::Request's layout), which the
# imported target carries.
pkg_check_modules(CPPHTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
if(PACT_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(PACT_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()

# google/rpc/status.proto and error_details.proto ship with Debian's gogo googleapis package.
set(PACT_GOOGLEAPIS_DIR "/usr/share/gocode/src/github.com/gogo/googleapis"
    CACHE PATH "Folder holding google/rpc/*.proto")
if(NOT EXISTS "${PACT_GOOGLEAPIS_DIR}/google/rpc/error_details.proto")
  message(FATAL_ERROR "google/rpc protos not found under ${PACT_GOOGLEAPIS_DIR}; run deploy/bootstrap.sh")
endif()
# ICU transliterates names (Cyrillic, Arabic, ...) to Latin for duplicate detection.
find_package(ICU REQUIRED COMPONENTS uc i18n)
