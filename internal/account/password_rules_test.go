package account

import "testing"

func TestValidatePassword(t *testing.T) {
	for _, tt := range []struct {
		pw       string
		personal []string
		ok       bool
	}{
		{"short", nil, false},
		{"elevenchars", nil, false},
		{"qwertyuiop123", nil, false},    // in the common list
		{"QWERTYUIOP123", nil, false},    // case does not matter
		{"aaaaaaaaaaaaaaaa", nil, false}, // one repeated character
		{"seoulgov-office-2023", []string{"seoulgov-office"}, false},
		{"mjkim2023!smart", []string{"MJKim@seoul.go.kr"}, false},
		{"violet tram under seoul", []string{"mjkim"}, true},
		{"12345678901234567890 horse", nil, true},
	} {
		got := ValidatePassword(tt.pw, tt.personal...)
		if (got == "") != tt.ok {
			t.Errorf("ValidatePassword(%q) = %q, want ok=%v", tt.pw, got, tt.ok)
		}
	}
	if len(commonPasswords()) < 40000 {
		t.Fatalf("common password list has %d entries", len(commonPasswords()))
	}
}
