// Package config reads the portal's configuration from PORTAL_* environment variables and
// DATABASE_URL into one Config value, validated at start. It is passed explicitly, never global.
package config

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/blocks/keyring"
)

// Config is the whole configuration of one portal process.
type Config struct {
	// DatabaseURL is the Postgres connection string; empty means "start a local cluster".
	DatabaseURL string
	// Addr is the listen address (host:port).
	Addr string
	// BaseURL is the public URL of the portal, used in emails and to decide on Secure cookies.
	BaseURL *url.URL
	// Env is "development" or "production".
	Env string
	// LogFormat is "text" or "json"; LogLevel is debug, info, warn or error.
	LogFormat string
	LogLevel  string
	// DataDir holds local state: the local Postgres cluster and, with local storage, uploaded files.
	DataDir string
	// DBMaxConns caps the connection pool.
	DBMaxConns int32
	// SessionIdleTimeout ends a session after this long without a request;
	// SessionLifetime ends it this long after sign-in, whatever happens.
	SessionIdleTimeout time.Duration
	SessionLifetime    time.Duration
	// ShutdownTimeout is how long a graceful shutdown waits for in-flight requests.
	ShutdownTimeout time.Duration
	// AdminEmail is the email of the first admin that `serve` creates when none exists, in local mode.
	AdminEmail string
	// TrustedProxies are the load balancers or reverse proxies whose X-Forwarded-For header is
	// believed when finding a client's address (for abuse limits and the audit log).
	TrustedProxies []netip.Prefix
	// SMTPURL is the mail server (smtp://user:pass@host:587, smtps://host:465, or
	// smtp://host:1025?tls=none); empty means emails are written to the log instead of sent.
	SMTPURL string
	// MailFrom is the From address of every email.
	MailFrom string
	// MailRetryMaxDelay caps the wait between two attempts to send an email; zero means River's
	// backoff (attempt⁴ seconds, 25 attempts over about three weeks).
	MailRetryMaxDelay time.Duration
	// DemoEdition is the built-in edition `serve` imports in local mode when no edition exists,
	// with its schedule moved so that applications are open; empty disables it.
	DemoEdition string
	// PprofAddr, when set, is a loopback host:port where a second listener serves the Go
	// profiler (/debug/pprof/) for performance work; it is never on the portal's own address.
	PprofAddr string
	// Storage is where uploaded files are kept: "local" (under DataDir/files) or "s3".
	Storage string
	// S3 configures the S3-compatible storage; set only when Storage is "s3".
	S3 S3
	// SecretKeys are the keys that encrypt secrets kept in the database (TOTP secrets), from
	// PORTAL_SECRET_KEYS: the first encrypts, every one decrypts (internal/blocks/keyring). Never logged.
	SecretKeys [][]byte
	// SecretKeyFile is the file holding those keys when PORTAL_SECRET_KEYS is unset: the one
	// PORTAL_SECRET_KEY_FILE names, or in development PORTAL_DATA_DIR/secret.key, which serve
	// creates with a new key when it is missing (SecretKeyFileCreate).
	SecretKeyFile       string
	SecretKeyFileCreate bool
}

// S3 is the connection to an S3-compatible object store (Amazon S3, MinIO, Ceph...).
type S3 struct {
	// Endpoint is host or host:port, without scheme.
	Endpoint string
	Bucket   string
	// AccessKey and SecretKey are the credentials; never logged.
	AccessKey, SecretKey string
	// Region is the bucket's region; empty lets the client ask the server.
	Region string
	// UseSSL selects https (the default).
	UseSSL bool
}

// Var documents one environment variable.
type Var struct {
	Name, Default, Help string
}

// Vars lists every variable the portal reads, for --help and the README.
var Vars = []Var{
	{"DATABASE_URL", "", "Postgres connection string. Unset: the portal starts and owns a local cluster under PORTAL_DATA_DIR."},
	{"PORTAL_ADDR", "127.0.0.1:8080", "Listen address, host:port."},
	{"PORTAL_BASE_URL", "http://<PORTAL_ADDR>", "Public URL of the portal, used in emails; https makes cookies Secure and turns on HSTS."},
	{"PORTAL_ENV", "development", "development or production."},
	{"PORTAL_LOG_FORMAT", "text (json in production)", "Log format: text or json."},
	{"PORTAL_LOG_LEVEL", "info", "Log level: debug, info, warn or error."},
	{"PORTAL_DATA_DIR", "var", "Directory for local state: the local Postgres cluster and, with PORTAL_STORAGE=local, uploaded files (in files/)."},
	{"PORTAL_DB_MAX_CONNS", "10", "Maximum connections in the database pool."},
	{"PORTAL_SESSION_IDLE_TIMEOUT", "2h", "Sign a user out after this long without activity (Go duration)."},
	{"PORTAL_SESSION_LIFETIME", "12h", "Sign a user out this long after sign-in, whatever happens (Go duration)."},
	{"PORTAL_SHUTDOWN_TIMEOUT", "15s", "How long shutdown waits for requests in flight (Go duration)."},
	{"PORTAL_ADMIN_EMAIL", "admin@example.org", "Email of the first admin created by `serve` in local mode when there is none."},
	{"PORTAL_TRUSTED_PROXIES", "", "Comma-separated addresses or CIDR ranges of proxies/load balancers whose X-Forwarded-For is trusted."},
	{"PORTAL_SMTP_URL", "", "Mail server: smtp://user:pass@host:587 (STARTTLS when offered; ?tls=starttls to require it, ?tls=none for a plain local server) or smtps://user:pass@host:465 (implicit TLS). Unset: emails are written to the log, not sent."},
	{"PORTAL_MAIL_FROM", "Prize Portal <no-reply@localhost>", "From address of the portal's emails."},
	{"PORTAL_MAIL_RETRY_MAX_DELAY", "", "Longest wait between two attempts to send an email while the mail server fails (Go duration). Unset: the wait grows with each attempt (attempt⁴ seconds), 25 attempts spanning about three weeks; a cap shortens that span."},
	{"PORTAL_DEMO_EDITION", "seoul-2023", "Built-in edition imported by `serve` in local mode when there is none, opened for applications today; none to disable."},
	{"PORTAL_PPROF_ADDR", "", "Loopback host:port (127.0.0.1:6060) of a separate listener serving the Go profiler at /debug/pprof/, for performance work. Unset: no profiler."},
	{"PORTAL_STORAGE", "local", "Where uploaded files are kept: local (PORTAL_DATA_DIR/files, one instance only) or s3 (any S3-compatible store; needed with several instances)."},
	{"PORTAL_S3_ENDPOINT", "", "With PORTAL_STORAGE=s3: host or host:port of the S3 API, without scheme (s3.eu-central-1.amazonaws.com, minio.internal:9000)."},
	{"PORTAL_S3_BUCKET", "", "With PORTAL_STORAGE=s3: the bucket (must exist)."},
	{"PORTAL_S3_ACCESS_KEY", "", "With PORTAL_STORAGE=s3: access key ID."},
	{"PORTAL_S3_SECRET_KEY", "", "With PORTAL_STORAGE=s3: secret access key."},
	{"PORTAL_S3_REGION", "", "With PORTAL_STORAGE=s3: the bucket's region (us-east-1...). Unset: asked from the server."},
	{"PORTAL_S3_USE_SSL", "true", "With PORTAL_STORAGE=s3: true for https, false for plain http (a store on a private network only)."},
	{"PORTAL_SECRET_KEYS", "", "Comma-separated base64 keys of 32 bytes (make one with: openssl rand -base64 32) that encrypt the two-factor secrets in the database. The first encrypts, all decrypt: to rotate, put a new key first, restart every instance, then drop the old key. Required in production (or PORTAL_SECRET_KEY_FILE); in development, unset, a key is kept in PORTAL_DATA_DIR/secret.key."},
	{"PORTAL_SECRET_KEY_FILE", "", "A file holding the keys of PORTAL_SECRET_KEYS (comma- or line-separated), such as a mounted secret; instead of PORTAL_SECRET_KEYS."},
}

// FieldError is one bad variable.
type FieldError struct {
	Name, Message string
}

// Errors lists every bad variable found.
type Errors []FieldError

func (e Errors) Error() string {
	var b strings.Builder
	b.WriteString("invalid configuration:")
	for _, f := range e {
		fmt.Fprintf(&b, "\n  %s: %s", f.Name, f.Message)
	}
	return b.String()
}

// Load reads and validates the configuration; every problem is reported, not just the first.
func Load(getenv func(string) string) (Config, error) {
	var errs Errors
	bad := func(name, format string, args ...any) {
		errs = append(errs, FieldError{name, fmt.Sprintf(format, args...)})
	}
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	duration := func(name, def string) time.Duration {
		v := get(name, def)
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			bad(name, "%q is not a positive duration such as 30m or 2h", v)
			return 0
		}
		return d
	}

	c := Config{
		DatabaseURL: get("DATABASE_URL", ""),
		Addr:        get("PORTAL_ADDR", "127.0.0.1:8080"),
		Env:         get("PORTAL_ENV", "development"),
		LogLevel:    get("PORTAL_LOG_LEVEL", "info"),
		DataDir:     get("PORTAL_DATA_DIR", "var"),
		AdminEmail:  get("PORTAL_ADMIN_EMAIL", "admin@example.org"),
	}
	if c.DemoEdition = get("PORTAL_DEMO_EDITION", "seoul-2023"); c.DemoEdition == "none" {
		c.DemoEdition = ""
	}

	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") && !strings.Contains(c.DatabaseURL, "=") {
		bad("DATABASE_URL", "is not a Postgres URL (postgres://user:password@host:5432/dbname) or key=value connection string")
	}
	if host, port, err := net.SplitHostPort(c.Addr); err != nil {
		bad("PORTAL_ADDR", "%q is not host:port (for example 127.0.0.1:8080 or :8080)", c.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		bad("PORTAL_ADDR", "port %q is not a number from 0 to 65535", port)
	} else if host != "" && net.ParseIP(host) == nil && strings.ContainsAny(host, " /") {
		bad("PORTAL_ADDR", "host %q is not a host name or IP address", host)
	}
	switch c.Env {
	case "development", "production":
	default:
		bad("PORTAL_ENV", "%q must be development or production", c.Env)
	}
	defFormat := "text"
	if c.Env == "production" {
		defFormat = "json"
	}
	c.LogFormat = get("PORTAL_LOG_FORMAT", defFormat)
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("PORTAL_LOG_FORMAT", "%q must be text or json", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("PORTAL_LOG_LEVEL", "%q must be debug, info, warn or error", c.LogLevel)
	}
	base := get("PORTAL_BASE_URL", "http://"+displayAddr(c.Addr))
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("PORTAL_BASE_URL", "%q is not an absolute http or https URL such as https://prize.example.org", base)
	} else {
		u.Path = strings.TrimRight(u.Path, "/")
		c.BaseURL = u
	}
	if v := get("PORTAL_DB_MAX_CONNS", "10"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			bad("PORTAL_DB_MAX_CONNS", "%q must be a whole number from 1 to 1000", v)
		}
		c.DBMaxConns = int32(n)
	}
	c.SessionIdleTimeout = duration("PORTAL_SESSION_IDLE_TIMEOUT", "2h")
	c.SessionLifetime = duration("PORTAL_SESSION_LIFETIME", "12h")
	c.ShutdownTimeout = duration("PORTAL_SHUTDOWN_TIMEOUT", "15s")
	if c.SessionIdleTimeout > 0 && c.SessionLifetime > 0 && c.SessionIdleTimeout > c.SessionLifetime {
		bad("PORTAL_SESSION_IDLE_TIMEOUT", "must not be longer than PORTAL_SESSION_LIFETIME (%s)", c.SessionLifetime)
	}
	for _, p := range strings.Split(get("PORTAL_TRUSTED_PROXIES", ""), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			if a, err := netip.ParseAddr(p); err == nil {
				c.TrustedProxies = append(c.TrustedProxies, netip.PrefixFrom(a, a.BitLen()))
				continue
			}
		}
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			bad("PORTAL_TRUSTED_PROXIES", "%q is not an IP address or CIDR range such as 10.0.0.0/8", p)
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix.Masked())
	}
	c.SMTPURL = get("PORTAL_SMTP_URL", "")
	if c.SMTPURL != "" {
		if msg := checkSMTPURL(c.SMTPURL); msg != "" {
			bad("PORTAL_SMTP_URL", "%s", msg)
		}
	}
	c.MailFrom = get("PORTAL_MAIL_FROM", "Prize Portal <no-reply@localhost>")
	if v := get("PORTAL_MAIL_RETRY_MAX_DELAY", ""); v != "" {
		if d, err := time.ParseDuration(v); err != nil || d <= 0 {
			bad("PORTAL_MAIL_RETRY_MAX_DELAY", "%q is not a positive duration such as 10m or 1h", v)
		} else {
			c.MailRetryMaxDelay = d
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		bad("PORTAL_MAIL_FROM", "%q is not an address such as no-reply@prize.example.org or \"Seoul Prize\" <no-reply@prize.example.org>", c.MailFrom)
	}
	if !strings.Contains(c.AdminEmail, "@") {
		bad("PORTAL_ADMIN_EMAIL", "%q is not an email address", c.AdminEmail)
	}
	if c.PprofAddr = get("PORTAL_PPROF_ADDR", ""); c.PprofAddr != "" && !loopbackAddr(c.PprofAddr) {
		bad("PORTAL_PPROF_ADDR", "%q is not a loopback host:port such as 127.0.0.1:6060 (the profiler is never served to the network)", c.PprofAddr)
	}
	c.Storage, c.S3 = loadStorage(get, bad)
	loadSecretKeys(&c, get, bad)
	if len(errs) > 0 {
		return Config{}, errs
	}
	return c, nil
}

// loadSecretKeys reads PORTAL_SECRET_KEYS or PORTAL_SECRET_KEY_FILE. Production needs one of
// them; development without either keeps a key in PORTAL_DATA_DIR/secret.key. Messages never
// repeat a key.
func loadSecretKeys(c *Config, get func(name, def string) string, bad func(name, format string, args ...any)) {
	list, file := get("PORTAL_SECRET_KEYS", ""), get("PORTAL_SECRET_KEY_FILE", "")
	switch {
	case list != "" && file != "":
		bad("PORTAL_SECRET_KEY_FILE", "is set together with PORTAL_SECRET_KEYS: set only one of them")
	case list == "" && file == "" && c.Env == "production":
		bad("PORTAL_SECRET_KEYS", "is required in production (or PORTAL_SECRET_KEY_FILE): the key that encrypts the two-factor secrets in the database; make one with: openssl rand -base64 32")
	case list == "" && file == "":
		c.SecretKeyFile, c.SecretKeyFileCreate = filepath.Join(c.DataDir, "secret.key"), true
	case file != "":
		c.SecretKeyFile = file
	}
	if list != "" {
		keys, err := keyring.ParseKeys(list)
		if err != nil {
			bad("PORTAL_SECRET_KEYS", "%s", err.Error())
			return
		}
		c.SecretKeys = keys
	}
}

// s3Vars are the variables of the S3 storage.
var s3Vars = []string{"PORTAL_S3_ENDPOINT", "PORTAL_S3_BUCKET", "PORTAL_S3_ACCESS_KEY", "PORTAL_S3_SECRET_KEY", "PORTAL_S3_REGION", "PORTAL_S3_USE_SSL"}

// loadStorage reads PORTAL_STORAGE and, for s3, the PORTAL_S3_* variables. S3 variables set
// while the storage is local are an error: uploads would silently land on the instance's disk.
// Messages never repeat the secret key.
func loadStorage(get func(name, def string) string, bad func(name, format string, args ...any)) (string, S3) {
	storage := get("PORTAL_STORAGE", "local")
	switch storage {
	case "local":
		var set []string
		for _, name := range s3Vars {
			if get(name, "") != "" {
				set = append(set, name)
			}
		}
		switch len(set) {
		case 0:
		case 1:
			bad("PORTAL_STORAGE", "is local, but %s is set: set PORTAL_STORAGE=s3 to keep files in S3, or unset it", set[0])
		default:
			bad("PORTAL_STORAGE", "is local, but %s are set: set PORTAL_STORAGE=s3 to keep files in S3, or unset them", strings.Join(set, ", "))
		}
		return storage, S3{}
	case "s3":
	default:
		bad("PORTAL_STORAGE", "%q must be local or s3", storage)
		return storage, S3{}
	}
	s := S3{
		Endpoint:  get("PORTAL_S3_ENDPOINT", ""),
		Bucket:    get("PORTAL_S3_BUCKET", ""),
		AccessKey: get("PORTAL_S3_ACCESS_KEY", ""),
		SecretKey: get("PORTAL_S3_SECRET_KEY", ""),
		Region:    get("PORTAL_S3_REGION", ""),
	}
	switch {
	case s.Endpoint == "":
		bad("PORTAL_S3_ENDPOINT", "is required with PORTAL_STORAGE=s3 (host or host:port, such as s3.eu-central-1.amazonaws.com)")
	case strings.Contains(s.Endpoint, "://"):
		bad("PORTAL_S3_ENDPOINT", "%q must be host or host:port without scheme (such as s3.eu-central-1.amazonaws.com); choose https or http with PORTAL_S3_USE_SSL", s.Endpoint)
	default:
		host, port := s.Endpoint, ""
		if h, p, err := net.SplitHostPort(s.Endpoint); err == nil {
			host, port = h, p
		}
		if n, err := strconv.Atoi(port); port != "" && (err != nil || n < 1 || n > 65535) {
			bad("PORTAL_S3_ENDPOINT", "port %q is not a number from 1 to 65535", port)
		} else if host == "" || strings.ContainsAny(host, " /?#@") {
			bad("PORTAL_S3_ENDPOINT", "%q must be host or host:port (such as s3.eu-central-1.amazonaws.com or minio.internal:9000)", s.Endpoint)
		}
	}
	if s.Bucket == "" {
		bad("PORTAL_S3_BUCKET", "is required with PORTAL_STORAGE=s3")
	} else if !validBucket(s.Bucket) {
		bad("PORTAL_S3_BUCKET", "%q is not a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit", s.Bucket)
	}
	if s.AccessKey == "" {
		bad("PORTAL_S3_ACCESS_KEY", "is required with PORTAL_STORAGE=s3")
	}
	if s.SecretKey == "" {
		bad("PORTAL_S3_SECRET_KEY", "is required with PORTAL_STORAGE=s3")
	}
	if strings.Trim(s.Region, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		bad("PORTAL_S3_REGION", "%q is not a region name such as eu-central-1", s.Region)
	}
	switch v := strings.ToLower(get("PORTAL_S3_USE_SSL", "true")); v {
	case "true", "1", "yes":
		s.UseSSL = true
	case "false", "0", "no":
	default:
		bad("PORTAL_S3_USE_SSL", "%q must be true or false", v)
	}
	return storage, s
}

// validBucket reports whether name follows the S3 bucket naming rules.
func validBucket(name string) bool {
	if len(name) < 3 || len(name) > 63 || strings.Contains(name, "..") {
		return false
	}
	alnum := func(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }
	for i := 0; i < len(name); i++ {
		if c := name[i]; !alnum(c) && c != '.' && c != '-' {
			return false
		}
	}
	return alnum(name[0]) && alnum(name[len(name)-1])
}

// checkSMTPURL returns what is wrong with an SMTP URL, or "". The message never repeats the
// password.
func checkSMTPURL(raw string) string {
	const forms = "use smtp://user:password@host:587 (STARTTLS), smtps://user:password@host:465 (TLS) or smtp://host:1025?tls=none (plain, local servers only)"
	u, err := url.Parse(raw)
	if err != nil {
		return "is not a URL; " + forms
	}
	switch u.Scheme {
	case "smtp", "smtps":
	default:
		return fmt.Sprintf("scheme %q must be smtp or smtps; %s", u.Scheme, forms)
	}
	if u.Hostname() == "" {
		return fmt.Sprintf("%s has no host; %s", u.Redacted(), forms)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Sprintf("%s: port %q is not a number from 1 to 65535", u.Redacted(), p)
		}
	}
	for k, v := range u.Query() {
		switch {
		case k != "tls":
			return fmt.Sprintf("%s: unknown parameter %q (only tls=starttls or tls=none)", u.Redacted(), k)
		case u.Scheme == "smtps":
			return fmt.Sprintf("%s: smtps always uses TLS; remove ?tls=", u.Redacted())
		case len(v) != 1 || (v[0] != "starttls" && v[0] != "none"):
			return fmt.Sprintf("%s: tls must be starttls (require STARTTLS) or none (plain)", u.Redacted())
		}
	}
	return ""
}

// displayAddr turns a listen address into one a browser can open (":8080" -> "127.0.0.1:8080").
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// loopbackAddr reports whether addr is host:port with a loopback host (localhost, 127.x, ::1).
func loopbackAddr(addr string) bool {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Local reports whether the portal must start its own Postgres.
func (c Config) Local() bool { return c.DatabaseURL == "" }

// Secure reports whether the portal is served over https.
func (c Config) Secure() bool { return c.BaseURL != nil && c.BaseURL.Scheme == "https" }

// WriteHelp prints every variable with its default and meaning.
func WriteHelp(w io.Writer) {
	fmt.Fprintln(w, "Configuration (environment variables):")
	for _, v := range Vars {
		def := v.Default
		if def == "" {
			def = "(unset)"
		}
		fmt.Fprintf(w, "  %-28s default %s\n      %s\n", v.Name, def, v.Help)
	}
}

// ErrHelp is returned when --help was asked for.
var ErrHelp = errors.New("help requested")
