package views

import (
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/i18n"
	"prizeportal/internal/privacy"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// EraseAddressForm is the form of /admin/erase-address: the address, then the confirmation.
type EraseAddressForm struct {
	Email   string `form:"email"`
	Confirm string `form:"confirm"`
	// Previewed is the address whose plan the page showed: a changed address is shown first,
	// never erased unseen.
	Previewed string `form:"previewed"`
}

// EraseAddressView asks for the address of form f, then (with plan) shows what erasing it would
// do and asks for the confirmation.
func EraseAddressView(page components.Page, f EraseAddressForm, plan *privacy.AddressPlan, errs field.Errors) pages.AdminEraseAddressView {
	v := pages.AdminEraseAddressView{
		Page:   page,
		Email:  components.Field{Name: "email", Label: i18n.M("Their email address"), Type: "email", Value: f.Email, Required: true, MaxLength: 300, Error: errs.Get("email"), Hint: i18n.M("The address they used as a recommender, an endorser, a nominated candidate or an invitee.")},
		Errors: errs,
	}
	if plan != nil {
		v.Shown, v.Previewed = true, f.Email
		v.Confirm = components.Field{Name: "confirm", Label: i18n.M("I understand that erasing cannot be undone"), Required: true, Error: errs.Get("confirm")}
		if plan.AccountID != 0 {
			v.Refusal = privacy.ErrAddressHasAccount.Message
		}
		if plan.AccountID > 0 {
			v.AccountHref = UserHref(plan.AccountID)
		}
		v.Empty, v.Items = plan.Empty(), plan.Items()
		v.Kept = KeptViews(plan.Kept)
	}
	return v
}

// KeptViews describes the entries an erasure keeps in part, with why, for the confirmation pages.
func KeptViews(kept []privacy.KeptEntry) []pages.ErasureKept {
	var out []pages.ErasureKept
	for _, k := range kept {
		out = append(out, pages.ErasureKept{Title: k.Heading(), Where: i18n.Msg("{{.Edition}}, {{.Category}}", "Edition", k.Edition, "Category", k.Category), Reason: k.Reason()})
	}
	return out
}
