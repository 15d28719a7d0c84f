#include "cli_options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>


namespace pactctl {
namespace {

struct ServiceSetting {
  ServiceName service;
  const char* flag;
  const char* variable;
};

constexpr ServiceSetting kServiceSettings[] = {
    {ServiceName::intake, "intake", "PACT_INTAKE_ADDRESS"},
    {ServiceName::screening, "screening", "PACT_SCREENING_ADDRESS"},
    {ServiceName::routing, "routing", "PACT_ROUTING_ADDRESS"},
    {ServiceName::notification, "notification", "PACT_NOTIFICATION_ADDRESS"},
};

const ServiceSetting& setting_of(ServiceName service) {
  for (const auto& setting : kServiceSettings) {
    if (setting.service == service) return setting;
  }
  return kServiceSettings[0];
}

// The flag's value, else the environment variable's, else empty.
std::string flag_or_environment(const Arguments& args, const char* flag, const char* variable) {
  if (auto value = args.find(flag)) return *value;
  const char* value = std::getenv(variable);
  return value == nullptr ? std::string() : std::string(value);
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

}  // namespace

std::string_view name_of(ServiceName service) { return setting_of(service).flag; }

const std::vector<std::string_view> kSessionFlags = {"intake",        "screening", "routing",       "notification",
                                                     "subject",       "organisation", "roles",     "jurisdictions",
                                                     "deadline",      "json",      "token",         "ca-file"};

const char* const kSessionUsage =
    "Service commands take (flags win over the environment):\n"
    "  --intake HOST:PORT         PACT_INTAKE_ADDRESS        (no default: every deployment differs)\n"
    "  --screening HOST:PORT      PACT_SCREENING_ADDRESS\n"
    "  --routing HOST:PORT        PACT_ROUTING_ADDRESS       (referrals, decisions and the directory)\n"
    "  --notification HOST:PORT   PACT_NOTIFICATION_ADDRESS\n"
    "  --token JWT                PACT_TOKEN                 your bearer token from the identity provider\n"
    "  --ca-file FILE             PACT_CA_FILE               TLS: the CA the hub's certificates are signed by\n"
    "  --subject ID               PACT_SUBJECT               who you are (required without a token)\n"
    "  --organisation ID          PACT_ORGANISATION          your directory organisation (required without a token)\n"
    "  --roles a,b                PACT_ROLES                 e.g. case_worker, coordinator, eoc_duty_officer,\n"
    "                                                        directory_admin, competent_authority, frontline\n"
    "  --jurisdictions RS,MK      PACT_JURISDICTIONS         whose records you work on\n"
    "  --deadline 10s             PACT_DEADLINE              per call\n"
    "  --json                                                print the responses as JSON, for scripts\n"
    "With a token, the token says who you are. Without one, the identity travels as development\n"
    "metadata (x-pact-*), which services accept only in development mode; the local run sets\n"
    "PACT_TOKEN_SIGNING_KEY so pactctl mints a token for the identity given by the flags.\n";

void allow_session_flags_and(const Arguments& args, std::vector<std::string_view> command_flags) {
  command_flags.insert(command_flags.end(), kSessionFlags.begin(), kSessionFlags.end());
  args.allow_only(command_flags);
}

Session Session::open(const Arguments& args) {
  Session session;
  for (const auto& setting : kServiceSettings) {
    std::string address = flag_or_environment(args, setting.flag, setting.variable);
    if (!address.empty()) session.addresses_[setting.service] = std::move(address);
  }
  auto tool = pact::security::ToolIdentity::environment_settings();
  if (auto token = flag_or_environment(args, "token", "PACT_TOKEN"); !token.empty()) tool.token = token;
  if (auto ca_file = flag_or_environment(args, "ca-file", "PACT_CA_FILE"); !ca_file.empty()) tool.ca_file = ca_file;
  try {
    session.tool_ = std::make_shared<const pact::security::ToolIdentity>(tool);
  } catch (const std::exception& e) {
    throw UsageError(e.what());
  }
  session.caller_.kind = pact::rpc::CallerKind::person;
  session.caller_.subject = flag_or_environment(args, "subject", "PACT_SUBJECT");
  session.caller_.organisation = flag_or_environment(args, "organisation", "PACT_ORGANISATION");
  if (!session.tool_->has_token() && (session.caller_.subject.empty() || session.caller_.organisation.empty())) {
    throw UsageError(
        "who is calling? give --token (PACT_TOKEN), or --subject and --organisation (PACT_SUBJECT and "
        "PACT_ORGANISATION); every call runs with a caller");
  }
  session.caller_.roles = split_list(flag_or_environment(args, "roles", "PACT_ROLES"));
  // Services compare jurisdiction codes in upper case ("RS"); accept what people type ("rs").
  for (const auto& code : split_list(flag_or_environment(args, "jurisdictions", "PACT_JURISDICTIONS"))) {
    session.caller_.jurisdictions.push_back(upper(code));
  }
  const std::string deadline = flag_or_environment(args, "deadline", "PACT_DEADLINE");
  session.deadline_ = deadline.empty() ? std::chrono::seconds(10) : parse_duration(deadline, "--deadline");
  session.json_ = args.on("json");
  return session;
}

const std::string& Session::address(ServiceName service) const {
  auto found = addresses_.find(service);
  if (found == addresses_.end()) {
    const auto& setting = setting_of(service);
    throw UsageError("no " + std::string(setting.flag) + " address: give --" + setting.flag + " HOST:PORT or set " +
                     setting.variable);
  }
  return found->second;
}

std::string Session::describe(ServiceName service, std::string_view method) const {
  return std::string(name_of(service)) + " " + std::string(method) + " at " + address(service);
}

std::shared_ptr<grpc::Channel> Session::channel(ServiceName service) const {
  auto& channel = channels_[service];
  if (!channel) channel = tool_->channel(address(service));
  return channel;
}

std::unique_ptr<grpc::ClientContext> Session::context() const {
  auto call_context = std::make_unique<grpc::ClientContext>();
  call_context->set_deadline(std::chrono::system_clock::now() + deadline_);
  tool_->identify(*call_context, caller_);
  return call_context;
}

std::chrono::milliseconds parse_duration(const std::string& text, std::string_view flag) {
  long long amount = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, amount);
  const std::string_view unit(stop, static_cast<std::size_t>(end - stop));
  if (error == std::errc() && amount > 0) {
    if (unit == "ms") return std::chrono::milliseconds(amount);
    if (unit == "s" || unit.empty()) return std::chrono::seconds(amount);
    if (unit == "m") return std::chrono::minutes(amount);
  }
  throw UsageError(std::string(flag) + " '" + text + "' is not a duration such as 500ms, 10s or 2m");
}

}  // namespace pactctl
