# Messages électroniques (templates/mail) et pages où mènent leurs liens.
mail-signature = Recours : réclamations télécom et demandes de remboursement
mail-unsubscribe = Ne plus recevoir ces messages (rappels et suivi de vos demandes)
mail-open-complaint = Ouvrir votre réclamation
mail-next-send-claim = Prochaine étape : envoyez votre demande par écrit à l'opérateur (la lettre est prête sur la page de la réclamation), puis notez la date d'envoi. L'opérateur a ensuite 30 jours pour répondre.
mail-next-follow = Vous pouvez la suivre et ajouter des pièces sur sa page.

mail-welcome-subject = Bienvenue sur Recours : confirmez votre adresse
mail-welcome-body =
    Votre compte Recours est prêt et fonctionne déjà.

    Confirmez que cette adresse est la vôtre pour recevoir les rappels des échéances de vos demandes. Le lien est valable 48 heures.

    Si vous n'avez pas créé ce compte, ignorez ce message.
mail-welcome-action = Confirmer mon adresse

mail-register-attempt-subject = Quelqu'un a tenté de s'inscrire avec votre adresse
mail-register-attempt-body =
    Quelqu'un a tenté de créer un compte Recours avec cette adresse, qui en a déjà un. Aucun compte n'a été créé et le vôtre n'a pas changé.

    Si c'était vous, connectez-vous ; si vous avez oublié votre mot de passe, vous pouvez en choisir un nouveau.
mail-register-attempt-action = Choisir un nouveau mot de passe

mail-password-reset-subject = Choisissez un nouveau mot de passe Recours
mail-password-reset-body =
    Quelqu'un (vous, espérons-le) a demandé à réinitialiser le mot de passe de votre compte Recours.

    Le lien ci-dessous sert une seule fois, pendant une heure. Choisir un nouveau mot de passe déconnecte tous les appareils.

    Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste le même.
mail-password-reset-action = Choisir un nouveau mot de passe

mail-email-change-confirm-subject = Confirmez votre nouvelle adresse
mail-email-change-confirm-body =
    Quelqu'un a demandé à utiliser cette adresse pour un compte Recours. Le lien ci-dessous la confirme ; il est valable 48 heures.

    Si vous n'avez rien demandé, ignorez ce message.
mail-email-change-confirm-action = Confirmer cette adresse

mail-email-changed-subject = L'adresse de votre compte Recours a changé
mail-email-changed-body =
    L'adresse de votre compte Recours est désormais { $new_email }.

    Si ce n'est pas vous, choisissez tout de suite un nouveau mot de passe.

mail-complaint-filed-subject = Réclamation { $ref } enregistrée : { $title }
mail-complaint-filed-body =
    Votre réclamation « { $title } » est enregistrée sous la référence { $ref }.

    { $next }
mail-claim-moved-subject = Demande { $ref } : { $state }
mail-claim-moved-body =
    Votre demande « { $title } » ({ $ref }) est maintenant : { $state }.

    Sa page montre l'historique et la prochaine étape.

mail-provider-invite-subject = Vous êtes invité à répondre aux réclamations pour { $provider } sur Recours
mail-provider-invite-body =
    Un compte a été ouvert pour que vous répondiez, pour { $provider }, aux réclamations que les abonnés envoient par Recours.

    Le lien ci-dessous définit votre mot de passe ; il fonctionne une fois, pendant sept jours. Les abonnés voient vos réponses sous le nom de l'opérateur.

    Si vous n'attendiez pas ce message, ignorez-le.
mail-provider-invite-action = Choisir mon mot de passe

mail-provider-open-case = Ouvrir le dossier
mail-provider-answer-due-subject = Réclamation { $ref } : votre réponse est attendue le { $date }
mail-provider-answer-due-body =
    La réclamation « { $title } » ({ $ref }), envoyée par Recours, attend votre réponse pour le { $date }.
mail-provider-answer-overdue-subject = Réclamation { $ref } : votre réponse était attendue le { $date }
mail-provider-answer-overdue-body =
    La réclamation « { $title } » ({ $ref }), envoyée par Recours, était attendue le { $date } et n'a pas encore de réponse. Les chiffres publics comptent les réponses données à temps.

    Ce rappel revient chaque semaine jusqu'à votre réponse.

mail-reminder-answer-due-subject = Demande { $ref } : réponse de l'opérateur attendue le { $date }
mail-reminder-answer-due-body =
    L'opérateur a jusqu'au { $date } pour répondre à votre demande « { $title } » ({ $ref }).

    S'il répond, notez-le sur la page de la demande.
mail-reminder-answer-overdue-subject = Demande { $ref } : pas de réponse au { $date }
mail-reminder-answer-overdue-body =
    La réponse de l'opérateur à votre demande « { $title } » ({ $ref }) était attendue le { $date }.

    La page de la réclamation vous dit vers qui vous tourner ensuite dans le pays où vous vivez, et à partir de quand.
mail-reminder-mediator-open-subject = Demande { $ref } : vous pouvez saisir le médiateur
mail-reminder-mediator-open-body =
    Depuis le { $date }, vous pouvez saisir gratuitement le médiateur des communications électroniques pour votre demande « { $title } » ({ $ref }).

    Notez-le sur la page de la demande quand vous le faites.
mail-reminder-mediator-closing-subject = Demande { $ref } : le médiateur peut être saisi jusqu'au { $date }
mail-reminder-mediator-closing-body =
    Le médiateur des communications électroniques peut être saisi pour votre demande « { $title } » ({ $ref }) jusqu'au { $date }, un an après votre réclamation écrite.

    Après cette date, il ne reste que le tribunal.
mail-reminder-opinion-overdue-subject = Demande { $ref } : l'avis du médiateur était attendu le { $date }
mail-reminder-opinion-overdue-body =
    Le médiateur aurait dû rendre son avis sur votre demande « { $title } » ({ $ref }) au plus tard le { $date }.

    Écrivez-lui pour savoir où en est votre dossier ; notez sa réponse sur la page de la demande.

mail-test-subject = Message d'essai de Recours
mail-test-body = Ce message confirme que Recours peut envoyer des courriels.

page-forgot-title = Mot de passe oublié ?
forgot-explain = Saisissez l'adresse de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe. Le lien sert une fois, pendant une heure.
forgot-submit = M'envoyer un lien
forgot-sent = Si un compte utilise cette adresse, un message avec un lien est en route. Il sert une fois, pendant une heure. Rien reçu ? Regardez dans les indésirables, ou redemandez dans quelques minutes.
login-forgot = Mot de passe oublié ?
page-reset-title = Choisissez un nouveau mot de passe
reset-explain = Choisir un nouveau mot de passe déconnecte tous les appareils où votre compte était ouvert.
reset-submit = Enregistrer le nouveau mot de passe
page-link-invalid-title = Ce lien ne fonctionne pas
link-invalid-explain = Le lien est inconnu, a déjà servi ou a expiré. Rien n'a été modifié.
link-invalid-forgot = Demander un nouveau lien de réinitialisation
page-unsubscribe-title = Ne plus recevoir les messages
unsubscribe-explain = Vous ne recevrez plus les rappels des échéances de vos demandes ni le suivi de vos réclamations. Les messages que vous demandez (réinitialisation du mot de passe) arrivent toujours. Vous pourrez réactiver les rappels dans votre compte.
unsubscribe-submit = Ne plus recevoir ces messages
unsubscribe-done = C'est fait : vous ne recevrez plus ni rappels ni suivi. Vous pouvez les réactiver dans votre compte.
page-mail-settings-title = Adresse et rappels
account-mail-link = Adresse et rappels
mail-settings-verified = Adresse confirmée
mail-settings-unverified = Les rappels ne partent que vers une adresse confirmée : ouvrez le lien du message de bienvenue.
mail-settings-submit = Enregistrer
field-reminders = M'envoyer les rappels des échéances de mes demandes et le suivi de mes réclamations
hint-reminders = Envoyés seulement à une adresse confirmée. Chaque message a un lien pour les arrêter.
flash-password-reset = Votre nouveau mot de passe est enregistré et toutes les sessions ont été fermées. Connectez-vous avec lui.
flash-email-verified = Merci : votre adresse est confirmée.
flash-preferences-saved = Vos préférences sont enregistrées.
email-change-title = Changer d'adresse électronique
email-change-explain = Nous envoyons un lien à la nouvelle adresse ; le changement se fait quand vous l'ouvrez, et l'adresse actuelle en est avertie.
email-change-submit = Envoyer le lien de confirmation
field-new-email = Nouvelle adresse électronique
flash-email-change-sent = Si l'adresse peut être utilisée, un lien de confirmation est en route vers elle. Le changement se fait quand vous l'ouvrez.
flash-email-changed = Votre adresse est changée et confirmée.
