#include "rpc/authenticator.h"

#include <stdexcept>

namespace pact::rpc {
namespace {

std::optional<std::string> metadata(const grpc::CallbackServerContext& context, const std::string& key) {
  const auto& entries = context.client_metadata();
  auto found = entries.find(key);
  if (found == entries.end()) return std::nullopt;
  return std::string(found->second.data(), found->second.size());
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

std::string join_list(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
  return text;
}

std::optional<Caller> read_caller(const grpc::CallbackServerContext& context, const std::string& prefix) {
  auto subject = metadata(context, prefix + "subject");
  auto organisation = metadata(context, prefix + "organisation");
  if (!subject || subject->empty() || !organisation || organisation->empty()) return std::nullopt;
  Caller caller;
  caller.subject = *subject;
  caller.organisation = *organisation;
  caller.roles = split_list(metadata(context, prefix + "roles").value_or(""));
  caller.jurisdictions = split_list(metadata(context, prefix + "jurisdictions").value_or(""));
  caller.kind = metadata(context, prefix + "caller-kind").value_or("person") == "service" ? CallerKind::service
                                                                                          : CallerKind::person;
  return caller;
}

}  // namespace

DevelopmentAuthenticator::DevelopmentAuthenticator(config::SecurityMode mode) {
  if (mode != config::SecurityMode::development) {
    throw std::logic_error("the development authenticator is refused outside development mode (security.mode)");
  }
}

Authentication DevelopmentAuthenticator::authenticate(const grpc::CallbackServerContext& context) const {
  auto caller = read_caller(context, "x-pact-");
  if (!caller) {
    return {std::nullopt, grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                       "no caller identity: x-pact-subject and x-pact-organisation are required")};
  }
  if (auto person = read_caller(context, "x-pact-on-behalf-of-")) {
    caller->on_behalf_of = std::make_shared<const Caller>(std::move(*person));
  }
  return {std::move(caller), grpc::Status::OK};
}

void attach_development_identity(grpc::ClientContext& context, const Caller& caller) {
  auto attach = [&](const std::string& prefix, const Caller& who) {
    context.AddMetadata(prefix + "subject", who.subject);
    context.AddMetadata(prefix + "organisation", who.organisation);
    context.AddMetadata(prefix + "roles", join_list(who.roles));
    context.AddMetadata(prefix + "jurisdictions", join_list(who.jurisdictions));
    context.AddMetadata(prefix + "caller-kind", who.kind == CallerKind::service ? "service" : "person");
  };
  attach("x-pact-", caller);
  if (caller.on_behalf_of) attach("x-pact-on-behalf-of-", *caller.on_behalf_of);
}

}  // namespace pact::rpc
