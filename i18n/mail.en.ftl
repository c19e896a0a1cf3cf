# E-mail messages (templates/mail) and the pages their links lead to.
mail-signature = Recours: telecom complaints and refund claims
mail-unsubscribe = Stop these e-mails (reminders and updates about your claims)
mail-open-complaint = Open your complaint
mail-next-send-claim = Next step: send your claim to the provider in writing (the letter is ready on the complaint's page), then record the date you sent it. The provider then has 30 days to answer.
mail-next-follow = You can follow it and add evidence on its page.

mail-welcome-subject = Welcome to Recours: confirm your e-mail address
mail-welcome-body =
    Your Recours account is ready and already works.

    Confirm that this address is yours to receive the reminders of your claims' deadlines. The link works for 48 hours.

    If you did not create this account, ignore this message.
mail-welcome-action = Confirm my address

mail-register-attempt-subject = Someone tried to register with your address
mail-register-attempt-body =
    Someone tried to create a Recours account with this e-mail address, which already has one. No new account was created and yours is unchanged.

    If it was you, log in instead; if you forgot your password, you can choose a new one.
mail-register-attempt-action = Choose a new password

mail-password-reset-subject = Choose a new Recours password
mail-password-reset-body =
    Someone (you, we hope) asked to reset the password of your Recours account.

    The link below works once, for one hour. Choosing a new password logs out every device.

    If you did not ask for it, ignore this message: your password stays as it is.
mail-password-reset-action = Choose a new password

mail-email-change-confirm-subject = Confirm your new e-mail address
mail-email-change-confirm-body =
    Someone asked to use this address for a Recours account. The link below confirms it; it works for 48 hours.

    If you did not ask for it, ignore this message.
mail-email-change-confirm-action = Confirm this address

mail-email-changed-subject = Your Recours e-mail address was changed
mail-email-changed-body =
    The e-mail address of your Recours account is now { $new_email }.

    If you did not do this, choose a new password at once.

mail-complaint-filed-subject = Complaint { $ref } filed: { $title }
mail-complaint-filed-body =
    Your complaint "{ $title }" is recorded under the reference { $ref }.

    { $next }
mail-claim-moved-subject = Claim { $ref }: { $state }
mail-claim-moved-body =
    Your claim "{ $title }" ({ $ref }) is now: { $state }.

    Its page shows the timeline and what to do next.

mail-provider-invite-subject = You are invited to answer claims for { $provider } on Recours
mail-provider-invite-body =
    An account was opened for you to answer, for { $provider }, the claims subscribers send through Recours.

    The link below sets your password; it works once, for seven days. The subscribers see your answers under the provider's name.

    If you did not expect this message, ignore it.
mail-provider-invite-action = Set my password

mail-provider-open-case = Open the case
mail-provider-answer-due-subject = Claim { $ref }: your answer is due on { $date }
mail-provider-answer-due-body =
    The claim "{ $title }" ({ $ref }), sent to you through Recours, waits for your answer, due on { $date }.
mail-provider-answer-overdue-subject = Claim { $ref }: your answer was due on { $date }
mail-provider-answer-overdue-body =
    The claim "{ $title }" ({ $ref }), sent to you through Recours, was due on { $date } and has no answer yet. The public figures count answers given by the due date.

    This reminder comes back every week until you answer.

mail-reminder-answer-due-subject = Claim { $ref }: the provider's answer is due on { $date }
mail-reminder-answer-due-body =
    The provider has until { $date } to answer your claim "{ $title }" ({ $ref }).

    If they answer, record it on the claim's page.
mail-reminder-answer-overdue-subject = Claim { $ref }: no answer by { $date }
mail-reminder-answer-overdue-body =
    The provider's answer to your claim "{ $title }" ({ $ref }) was due on { $date }.

    The claim's page tells you where to turn next in the country where you live, and from when.
mail-reminder-mediator-open-subject = Claim { $ref }: you can now go to the telecom mediator
mail-reminder-mediator-open-body =
    Since { $date } you can take your claim "{ $title }" ({ $ref }) to the telecom mediator (Médiateur des communications électroniques), free of charge.

    Record it on the claim's page when you do.
mail-reminder-mediator-closing-subject = Claim { $ref }: the mediator can be seized until { $date }
mail-reminder-mediator-closing-body =
    The telecom mediator can be seized for your claim "{ $title }" ({ $ref }) until { $date }, one year after your written claim.

    After that date, only a court remains.
mail-reminder-opinion-overdue-subject = Claim { $ref }: the mediator's opinion was due on { $date }
mail-reminder-opinion-overdue-body =
    The telecom mediator should have given its opinion on your claim "{ $title }" ({ $ref }) by { $date }.

    Write to the mediator to ask where it stands; record its answer on the claim's page.

mail-test-subject = Recours test message
mail-test-body = This message confirms that Recours can send e-mail.

page-forgot-title = Forgot your password?
forgot-explain = Enter the address of your account: we will send you a link to choose a new password. The link works once, for one hour.
forgot-submit = Send me a link
forgot-sent = If an account uses this address, a message with a link is on its way. It works once, for one hour. Nothing arrived? Check your spam folder, or ask again in a few minutes.
login-forgot = Forgot your password?
page-reset-title = Choose a new password
reset-explain = Choosing a new password logs out every device where your account was open.
reset-submit = Save the new password
page-link-invalid-title = This link does not work
link-invalid-explain = The link is unknown, was already used, or has expired. Nothing was changed.
link-invalid-forgot = Ask for a new password reset link
page-unsubscribe-title = Stop the e-mails
unsubscribe-explain = You will no longer receive reminders of your claims' deadlines nor updates about your complaints. Messages you ask for (password reset) still come. You can turn reminders on again in your account.
unsubscribe-submit = Stop the e-mails
unsubscribe-done = Done: you will no longer receive reminders nor updates. You can turn them on again in your account.
page-mail-settings-title = E-mail and reminders
account-mail-link = E-mail and reminders
mail-settings-verified = Address confirmed
mail-settings-unverified = Reminders go only to a confirmed address: open the link of the welcome message.
mail-settings-submit = Save
field-reminders = Send me reminders of my claims' deadlines and updates about my complaints
hint-reminders = Sent only to a confirmed address. Every message has a link to stop them.
flash-password-reset = Your new password is saved and every session was closed. Log in with it.
flash-email-verified = Thank you: your e-mail address is confirmed.
flash-preferences-saved = Your preferences are saved.
email-change-title = Change the e-mail address
email-change-explain = We send a link to the new address; the change is made when you open it, and the current address is told.
email-change-submit = Send the confirmation link
field-new-email = New e-mail address
flash-email-change-sent = If the address can be used, a confirmation link is on its way to it. The change is made when you open it.
flash-email-changed = Your e-mail address is changed and confirmed.
