## Layout
nav-skip = Skip to content
nav-label = Main menu
nav-account = My account
nav-admin = Administration
nav-logout = Log out
nav-login = Log in
nav-register = Create an account
nav-logged-in-as = Logged in as { $email }
footer-text = Recours helps telecom subscribers get refunds and publishes anonymous complaint statistics per provider. It does not give legal advice.

## Forms
form-error-summary = There is a problem
# The colon between a label and what follows it (French puts a space before it).
punct-colon = :
form-error-prefix = Error:
field-email = E-mail address
field-password = Password
field-password-confirm = Password again
field-current-password = Current password
field-new-password = New password
field-new-password-confirm = New password again
field-delete-password = Your password, to confirm
field-role = Role
hint-password = At least 12 characters. A short sentence is easy to remember and hard to guess.

## Home
page-home-title = Get your money back from your telecom provider
home-lead = Your line was cut but you were still billed? Your price went up without a notice you ever received? Recours helps you file your complaint, claim your refund and follow it until the money is back.
home-first-run-title = First steps for the administrator
home-first-run-admin = This installation has no administrator yet. On the server, in the source folder, create the first one (the password is asked for, never typed on the command line):
home-first-run-demo = To try the portal with demo data, stop the server and load some:
home-first-run-directory = Administrators keep the provider directory up to date under Administration; the command recours provider import loads a directory file such as the one Recours ships.
home-how-title = How it works
home-step-file = Describe what happened in a few minutes: the provider, the dates, the amounts, your evidence.
home-step-send = Send your claim to the provider with a ready-made letter; Recours tells you when the answer is due.
home-step-escalate = No answer, or a bad one? Recours tells you the next step: the provider's second level, then the telecom mediator.
home-step-stats = Every complaint counts, anonymously, in public statistics per provider that consumer associations use to act for everyone.
home-cta-register = Create an account
home-cta-login = I already have an account
home-associations-title = For consumer associations
home-associations = The statistics compare providers fairly (complaints per 100,000 subscribers) and never show anything that identifies a person.

## Accounts
page-register-title = Create an account
register-submit = Create my account
register-have-account = Already have an account?
page-login-title = Log in
login-submit = Log in
login-no-account = No account yet?
page-account-title = My account
account-role = Role
account-since = Member since
account-password-title = Change my password
account-password-submit = Change my password
account-delete-title = Delete my account
account-delete-explain = Your account and your personal data are deleted. Your complaints stay in the anonymous statistics, no longer linked to you. This cannot be undone.
account-delete-submit = Delete my account
account-data-title = My data
account-data-explain = Download everything Recours holds about you: your account, your complaints, their timelines and the list of your documents, as one JSON file.
account-data-download = Download my data
role-subscriber = Subscriber
role-reviewer = Consumer association reviewer
role-admin = Administrator
role-provider = Provider staff

## Administration
page-admin-users-title = Accounts
admin-users-caption = Every account and its role
admin-change-role = Change role
admin-role-for = Role for { $email }

## Error pages
error-code = Error code
error-back-home = Back to the home page
page-error-400 = Bad request
page-error-403 = Access refused
page-error-404 = Page not found
page-error-413 = Too large
page-error-422 = Invalid form
page-error-429 = Too many attempts
page-error-500 = Something went wrong
page-error-503 = Service unavailable
error-bad-request = The request could not be understood.
error-forbidden = You are not allowed to do this.
error-not-found = This page does not exist, or you do not have access to it.
error-too-large = What you sent is too large.
error-unprocessable = The form contains errors.
error-too-many = Too many attempts. Please wait before trying again.
error-unavailable = The service is temporarily unavailable. Please try again in a few minutes.
error-internal = An unexpected error happened. Nothing was saved; please try again.
error-cross-site = This form was sent from another site and has been refused.
error-bad-form = The form could not be read. Please reload the page and try again.
error-csrf = Your form has expired. Please reload the page and send it again.
error-role = Your account does not have access to this page.

## Field errors
error-required = Enter this information.
error-email-invalid = Enter an e-mail address like name@example.com.
error-password-too-short = Use at least 12 characters.
error-password-too-long = Use at most 128 characters.
error-password-common = This password is among the most used; choose another.
error-password-weak = This password is too easy to guess. Add a few unusual words: a short sentence of your own is strong and easy to remember.
error-password-repeated = Repeated characters (like "aaaa" or "abcabc") are easy to guess. Add a few unusual words.
error-password-sequence = Sequences and rows of keys (like "1234", "abcd" or "azerty") are easy to guess. Add a few unusual words.
error-password-email = This password contains your e-mail address or part of it, which is easy to guess. Choose something unrelated.
error-password-locked = Too many wrong passwords: wait a few minutes before trying again.
error-busy = Too many log-ins at this moment. Please try again in a few seconds.
error-password-mismatch = The two passwords differ.
error-password-wrong = This password is not right.
error-login-failed = Wrong e-mail address or password.
error-locked = Too many failed attempts. Try again in { $minutes } minute(s).
error-choice = Choose one of the options offered.
error-own-role = You cannot change your own role.

## Messages after an action
flash-registered = Registration received. Welcome! If this address already had an account, it is unchanged: log in with its password.
flash-logged-in = You are logged in.
flash-logged-out = You are logged out.
flash-password-changed = Your password is changed. Your other sessions were closed.
flash-account-deleted = Your account is deleted.
flash-role-changed = The role is changed.

# A date typed in three boxes (day, month, year).
date-day = Day
date-month = Month
date-year = Year
date-error-day-missing = The date must include a day.
date-error-month-missing = The date must include a month.
date-error-year-missing = The date must include a year.
date-error-day = The day must be a number from 1 to 31.
date-error-month = The month must be a number from 1 to 12, or its name.
date-error-year = The year must be four digits from 1900, for example 2026.
date-error-year-short = Write the year with four digits, for example 2026.
date-error-real = This day does not exist in that month.
date-error-future = This date is in the future.

# Every page: the title's prefix when a form came back with errors, the search engines' summary.
title-error = Error:
meta-description = Recours helps telecom subscribers claim a refund from their provider step by step, with the letters and deadlines, and publishes anonymous complaint statistics per provider.

# Country of residence (chooses the escalation ladder)
hint-residence = The country where you live. It decides which bodies you can turn to after your provider. Choose "Another country" if yours is not listed.
error-country-unknown = Choose the country where you live from the list.
account-country-title = Country where you live
account-country-submit = Save the country
flash-country-saved = Your country is saved. Your claims follow its escalation steps.
country-FR = France
country-BE = Belgium
country-LU = Luxembourg
country-CH = Switzerland
country-MC = Monaco
country-MA = Morocco
country-TN = Tunisia
country-DZ = Algeria
country-GB = United Kingdom
country-ZZ = Another country

## The second factor of staff, reviewer and admin accounts
page-code-title = Your authentication code
code-explain = Your account opens other people's cases, so a password is not enough: type the code your authentication app shows now, or one of your recovery codes.
field-code = Code
hint-code = 6 digits from the app, or a recovery code such as abcde-fghjk.
code-submit = Continue
code-cancel = Cancel and log out
page-enrol-title = Set up your authentication app
enrol-explain = Staff, reviewer and admin accounts open other people's cases: each log-in asks for a code from an app on your phone as well as the password. Set it up once now.
enrol-step-app = Install an authentication app (a TOTP app such as FreeOTP, Aegis or Google Authenticator) on your phone.
enrol-step-scan = In the app, add an account by scanning this QR code.
enrol-qr-label = QR code holding the secret key shown below
enrol-secret-intro = Or type this secret key into the app (it is shown only while setting up):
enrol-step-confirm = Type the 6-digit code the app shows to confirm.
hint-enrol-code = The 6 digits the app shows now.
enrol-submit = Confirm
page-recovery-codes-title = Your recovery codes
recovery-codes-once = Write these codes down or print them now: they will not be shown again.
recovery-codes-use = Without your phone, type one of them instead of the app's code. Each works once.
recovery-codes-continue = I have kept them: continue
error-code-format = Type the 6 digits from the app, or a recovery code.
error-code-wrong = This code is not right. Check the time on your phone, or use a recovery code.
error-code-used = This code was already used: wait for the next one.
error-code-locked = Too many wrong codes: wait a few minutes before trying again.
account-second-factor-title = Authentication app and recovery codes
account-recovery-left = Recovery codes left: { $count }
account-recovery-renew-explain = New codes replace the old ones, which stop working.
account-recovery-renew = Get new recovery codes
admin-second-factor = Authentication app
admin-second-factor-none = Not set up
admin-second-factor-reset = Reset
admin-second-factor-reset-for = Reset the authentication app of { $email }
error-own-second-factor = You cannot reset your own authentication app.
flash-second-factor-reset = The authentication app is reset: the account sets it up again at its next log-in.
admin-account-audit-title = Changes made to accounts
admin-account-audit-empty = No change yet.
admin-account-audit-by = by { $actor }
audit-second-factor-reset = authentication app reset
