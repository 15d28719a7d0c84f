#include <cctype>
#include <chrono>
#include <iostream>

#include "arguments.h"
#include "cli_options.h"
#include "commands.h"
#include "security/token_signer.h"

namespace pactctl {

// Mints a person's token with the local run's signing key. A deployment's tokens come from its
// identity provider; this is for the local run, the tests and trying the policy out.
int token(const Arguments& args) {
  args.allow_only({"signing-key", "issuer", "audience", "subject", "organisation", "roles", "jurisdictions", "sector", "ttl"});
  args.at_most_words(0);
  const std::string key = args.option("signing-key", env_or("PACT_TOKEN_SIGNING_KEY", ""));
  pact::security::TokenRequest request;
  request.issuer = args.option("issuer", env_or("PACT_TOKEN_ISSUER", ""));
  request.audience = args.option("audience", "pact");
  request.person.subject = args.option("subject", env_or("PACT_SUBJECT", ""));
  request.person.organisation = args.option("organisation", env_or("PACT_ORGANISATION", ""));
  request.person.roles = split_list(args.option("roles", env_or("PACT_ROLES", "")));
  for (const auto& code : split_list(args.option("jurisdictions", env_or("PACT_JURISDICTIONS", "")))) {
    std::string upper = code;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    request.person.jurisdictions.push_back(upper);
  }
  request.person.sector = args.option("sector", "");
  request.lifetime = std::chrono::duration_cast<std::chrono::seconds>(parse_duration(args.option("ttl", "8h"), "--ttl"));
  if (key.empty() || request.issuer.empty() || request.person.subject.empty() || request.person.organisation.empty() ||
      request.person.roles.empty()) {
    throw UsageError("a token needs --signing-key, --issuer, --subject, --organisation and --roles (or PACT_TOKEN_SIGNING_KEY, "
                     "PACT_TOKEN_ISSUER, PACT_SUBJECT, PACT_ORGANISATION, PACT_ROLES)");
  }
  try {
    std::cout << pact::security::TokenSigner(key).sign(request) << "\n";
  } catch (const std::exception& e) {
    throw UsageError(e.what());
  }
  return 0;
}

}  // namespace pactctl
