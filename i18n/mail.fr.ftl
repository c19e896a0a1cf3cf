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

mail-reminder-answer-due-subject = Demande { $ref } : réponse de l'opérateur attendue le { $date }
mail-reminder-answer-due-body =
    L'opérateur a jusqu'au { $date } pour répondre à votre demande « { $title } » ({ $ref }).

    S'il répond, notez-le sur la page de la demande.
mail-reminder-answer-overdue-subject = Demande { $ref } : pas de réponse au { $date }
mail-reminder-answer-overdue-body =
    La réponse de l'opérateur à votre demande « { $title } » ({ $ref }) était attendue le { $date }.

    Prochaine étape : écrivez au service consommateurs de l'opérateur (second niveau). Deux mois après votre réclamation écrite, vous pouvez saisir gratuitement le médiateur des communications électroniques.
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
