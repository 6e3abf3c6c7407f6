// TLS and mTLS with certificates generated at test time (openssl CLI): a
// CA, a server certificate for 127.0.0.1/localhost, client certificates
// from that CA and from a stranger's CA. Also the plaintext rules.
#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/client.h"
#include "client/tls_credentials.h"
#include "common/sha256.h"
#include "gtest/gtest.h"
#include "server/app/server_app.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

// Certificates in a fresh directory; aborts the suite if openssl fails.
class Certificates {
 public:
  Certificates() : dir_(UniqueTempPath("certs")) {
    Run("mkdir -p " + dir_);
    MakeCa("ca");
    MakeCa("rogue-ca");
    Issue("ca", "server", "/CN=localhost",
          "subjectAltName=DNS:localhost,IP:127.0.0.1");
    Issue("ca", "client", "/O=Test Clinic/CN=ehr-tls", "");
    Issue("ca", "stranger", "/O=Test Clinic/CN=nobody", "");
    Issue("rogue-ca", "rogue", "/O=Test Clinic/CN=ehr-tls", "");
  }
  ~Certificates() { Run("rm -rf " + dir_); }

  std::string Path(const std::string& name) const {
    return absl::StrCat(dir_, "/", name, ".pem");
  }
  std::string Key(const std::string& name) const {
    return absl::StrCat(dir_, "/", name, ".key");
  }

 private:
  void Run(const std::string& command) {
    const std::string quiet = command + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(quiet.c_str()), 0) << command;
  }
  void MakeCa(const std::string& name) {
    Run(absl::StrCat("openssl req -x509 -newkey rsa:2048 -nodes -days 2",
                     " -subj /CN=", name, " -keyout ", Key(name), " -out ",
                     Path(name)));
  }
  void Issue(const std::string& ca, const std::string& name,
             const std::string& subject, const std::string& san) {
    const std::string ext = absl::StrCat(dir_, "/", name, ".ext");
    std::ofstream(ext) << san << "\n";
    Run(absl::StrCat("openssl req -newkey rsa:2048 -nodes -subj '", subject,
                     "' -keyout ", Key(name), " -out ", dir_, "/", name,
                     ".csr"));
    Run(absl::StrCat("openssl x509 -req -days 2 -in ", dir_, "/", name,
                     ".csr -CA ", Path(ca), " -CAkey ", Key(ca),
                     " -CAcreateserial -out ", Path(name),
                     san.empty() ? "" : " -extfile " + ext));
  }

  std::string dir_;
};

constexpr char kToken[] = "tls-test-token";

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { certs_ = new Certificates(); }
  static void TearDownTestSuite() { delete certs_; }

  // Starts a server with TLS (and mTLS if `mtls`).
  std::unique_ptr<ServerApp> Start(bool mtls) {
    ServerConfig config;
    config.listen = "127.0.0.1:0";
    config.db_path = UniqueTempPath("tls.db");
    config.tls_cert_file = certs_->Path("server");
    config.tls_key_file = certs_->Key("server");
    if (mtls) config.tls_client_ca_file = certs_->Path("ca");
    auto* p = config.file.add_principals();
    p->set_id("ehr-tls");
    p->set_role(mnrecords::config::v1::ROLE_EHR_SYSTEM);
    p->add_clinics("c1");
    p->add_token_sha256(Sha256Hex(kToken));
    p->set_client_cert_subject("CN=ehr-tls,O=Test Clinic");
    auto app = ServerApp::Start(config);
    EXPECT_TRUE(app.ok()) << app.status();
    return app.ok() ? *std::move(app) : nullptr;
  }

  // ListPatients of c1 through a client with `files` (TLS), `token`.
  absl::StatusCode List(const ServerApp& app, const TlsFiles& files,
                        const std::string& token, bool tls = true) {
    ClientOptions options;
    options.target = absl::StrCat("127.0.0.1:", app.port());
    options.bearer_token = token;
    options.max_attempts = 1;
    options.default_timeout = absl::Seconds(5);
    if (tls) {
      auto credentials = TlsCredentials(files);
      EXPECT_TRUE(credentials.ok()) << credentials.status();
      options.credentials = *credentials;
    }
    auto client = RecordsClient::Create(options);
    EXPECT_TRUE(client.ok());
    v1::ListPatientsRequest list;
    list.set_parent("clinics/c1");
    return client->ListPatients(list).status().code();
  }

  static Certificates* certs_;
};

Certificates* TlsTest::certs_ = nullptr;

TEST_F(TlsTest, TlsServesTokenCallersAndRefusesPlaintextClients) {
  auto app = Start(/*mtls=*/false);
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->transport(), "TLS");
  const TlsFiles ca{certs_->Path("ca"), "", ""};
  EXPECT_EQ(List(*app, ca, kToken), absl::StatusCode::kOk);
  EXPECT_EQ(List(*app, ca, ""), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(List(*app, ca, "wrong"), absl::StatusCode::kUnauthenticated);
  // A client that does not trust the server's CA, or speaks plaintext.
  EXPECT_EQ(List(*app, {certs_->Path("rogue-ca"), "", ""}, kToken),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(List(*app, {}, kToken, /*tls=*/false),
            absl::StatusCode::kUnavailable);
}

TEST_F(TlsTest, MtlsAuthenticatesByCertificateAndRefusesCallersWithout) {
  auto app = Start(/*mtls=*/true);
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->transport(), "mTLS (client certificates required)");
  const std::string ca = certs_->Path("ca");
  // The certificate alone authenticates its subject's principal.
  EXPECT_EQ(List(*app, {ca, certs_->Path("client"), certs_->Key("client")}, ""),
            absl::StatusCode::kOk);
  // No client certificate, or one from another CA: no connection.
  EXPECT_EQ(List(*app, {ca, "", ""}, kToken), absl::StatusCode::kUnavailable);
  EXPECT_EQ(List(*app, {ca, certs_->Path("rogue"), certs_->Key("rogue")}, ""),
            absl::StatusCode::kUnavailable);
  // A verified certificate whose subject no principal has.
  EXPECT_EQ(
      List(*app, {ca, certs_->Path("stranger"), certs_->Key("stranger")}, ""),
      absl::StatusCode::kUnauthenticated);
  // A token still works over mTLS, and a bad token is not rescued by the
  // certificate.
  EXPECT_EQ(List(*app, {ca, certs_->Path("stranger"), certs_->Key("stranger")},
                 kToken),
            absl::StatusCode::kOk);
  EXPECT_EQ(
      List(*app, {ca, certs_->Path("client"), certs_->Key("client")}, "bad"),
      absl::StatusCode::kUnauthenticated);
}

TEST_F(TlsTest, PlaintextOnlyOnLoopbackUnlessAllowed) {
  ServerConfig config;
  config.db_path = UniqueTempPath("plain.db");
  config.listen = "0.0.0.0:0";
  auto refused = ServerApp::Start(config);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("--allow_insecure"),
            std::string::npos);
  config.allow_insecure = true;
  auto allowed = ServerApp::Start(config);
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  EXPECT_EQ((*allowed)->transport(), "plaintext (--allow_insecure)");
  (*allowed)->Shutdown(absl::Seconds(1));

  config.listen = "127.0.0.1:0";
  config.allow_insecure = false;
  config.tls_client_ca_file = certs_->Path("ca");
  EXPECT_EQ(ServerApp::Start(config).status().code(),
            absl::StatusCode::kInvalidArgument);
  config.tls_client_ca_file = "";
  config.tls_cert_file = certs_->Path("server");
  EXPECT_EQ(ServerApp::Start(config).status().code(),
            absl::StatusCode::kInvalidArgument);  // no key
  config.tls_key_file = "/nonexistent/key.pem";
  EXPECT_EQ(ServerApp::Start(config).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace mnrecords::testing
