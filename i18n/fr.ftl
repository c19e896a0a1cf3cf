## Gabarit
nav-skip = Aller au contenu
nav-label = Menu principal
nav-account = Mon compte
nav-admin = Administration
nav-logout = Se déconnecter
nav-login = Se connecter
nav-register = Créer un compte
nav-logged-in-as = Connecté·e en tant que { $email }
footer-text = Recours aide les abonnés des opérateurs télécoms à se faire rembourser et publie des statistiques anonymes de plaintes par opérateur. Recours ne donne pas de conseil juridique.

## Formulaires
form-error-summary = Il y a un problème
# Le deux-points entre un libellé et ce qui suit (espace insécable avant, à la française).
punct-colon = {"\u00A0"}:
form-error-prefix = Erreur :
field-email = Adresse e-mail
field-password = Mot de passe
field-password-confirm = Mot de passe, à nouveau
field-current-password = Mot de passe actuel
field-new-password = Nouveau mot de passe
field-new-password-confirm = Nouveau mot de passe, à nouveau
field-delete-password = Votre mot de passe, pour confirmer
field-role = Rôle
hint-password = Au moins 12 caractères. Une courte phrase est facile à retenir et difficile à deviner.

## Accueil
page-home-title = Faites-vous rembourser par votre opérateur télécom
home-lead = Votre ligne a été coupée mais vous avez continué à payer ? Votre tarif a augmenté sans que vous ayez reçu le moindre avis ? Recours vous aide à déposer votre plainte, à réclamer votre remboursement et à le suivre jusqu'à ce que l'argent revienne.
home-first-run-title = Premiers pas pour l'administrateur
home-first-run-admin = Cette installation n'a pas encore d'administrateur. Sur le serveur, dans le dossier des sources, créez le premier (le mot de passe est demandé, jamais tapé sur la ligne de commande) :
home-first-run-demo = Pour essayer le portail avec des données de démonstration, arrêtez le serveur et chargez-en :
home-first-run-directory = Les administrateurs tiennent l'annuaire des opérateurs à jour dans l'espace d'administration ; la commande recours provider import charge un fichier d'annuaire comme celui que fournit Recours.
home-how-title = Comment ça marche
home-step-file = Décrivez ce qui s'est passé en quelques minutes : l'opérateur, les dates, les montants, vos preuves.
home-step-send = Envoyez votre réclamation à l'opérateur avec une lettre toute prête ; Recours vous dit quand la réponse est due.
home-step-escalate = Pas de réponse, ou une mauvaise ? Recours vous indique l'étape suivante : le service consommateurs de l'opérateur, puis le médiateur des communications électroniques.
home-step-stats = Chaque plainte compte, anonymement, dans des statistiques publiques par opérateur qu'utilisent les associations de consommateurs pour agir au nom de tous.
home-cta-register = Créer un compte
home-cta-login = J'ai déjà un compte
home-associations-title = Pour les associations de consommateurs
home-associations = Les statistiques comparent les opérateurs équitablement (plaintes pour 100 000 abonnés) et ne montrent jamais rien qui permette d'identifier une personne.

## Comptes
page-register-title = Créer un compte
register-submit = Créer mon compte
register-have-account = Vous avez déjà un compte ?
page-login-title = Se connecter
login-submit = Se connecter
login-no-account = Pas encore de compte ?
page-account-title = Mon compte
account-role = Rôle
account-since = Membre depuis
account-password-title = Changer mon mot de passe
account-password-submit = Changer mon mot de passe
account-delete-title = Supprimer mon compte
account-delete-explain = Votre compte et vos données personnelles sont supprimés. Vos plaintes restent dans les statistiques anonymes, sans lien avec vous. C'est définitif.
account-delete-submit = Supprimer mon compte
account-data-title = Mes données
account-data-explain = Téléchargez tout ce que Recours conserve sur vous : votre compte, vos plaintes, leur historique et la liste de vos documents, en un seul fichier JSON.
account-data-download = Télécharger mes données
role-subscriber = Abonné·e
role-reviewer = Analyste d'association de consommateurs
role-admin = Administrateur·rice
role-provider = Service client d'un opérateur

## Administration
page-admin-users-title = Comptes
admin-users-caption = Tous les comptes et leur rôle
admin-change-role = Changer le rôle
admin-role-for = Rôle de { $email }

## Pages d'erreur
error-code = Code d'erreur
error-back-home = Retour à l'accueil
page-error-400 = Requête incorrecte
page-error-403 = Accès refusé
page-error-404 = Page introuvable
page-error-413 = Trop volumineux
page-error-422 = Formulaire invalide
page-error-429 = Trop de tentatives
page-error-500 = Une erreur s'est produite
page-error-503 = Service indisponible
error-bad-request = La requête n'a pas pu être comprise.
error-forbidden = Vous n'avez pas le droit de faire cela.
error-not-found = Cette page n'existe pas, ou vous n'y avez pas accès.
error-too-large = Ce que vous avez envoyé est trop volumineux.
error-unprocessable = Le formulaire contient des erreurs.
error-too-many = Trop de tentatives. Patientez avant de réessayer.
error-unavailable = Le service est momentanément indisponible. Réessayez dans quelques minutes.
error-internal = Une erreur inattendue s'est produite. Rien n'a été enregistré ; réessayez.
error-cross-site = Ce formulaire a été envoyé depuis un autre site et a été refusé.
error-bad-form = Le formulaire n'a pas pu être lu. Rechargez la page et réessayez.
error-csrf = Votre formulaire a expiré. Rechargez la page et envoyez-le à nouveau.
error-role = Votre compte n'a pas accès à cette page.

## Erreurs de saisie
error-required = Renseignez cette information.
error-email-invalid = Saisissez une adresse e-mail comme nom@exemple.fr.
error-password-too-short = Utilisez au moins 12 caractères.
error-password-too-long = Utilisez au plus 128 caractères.
error-password-common = Ce mot de passe fait partie des plus utilisés ; choisissez-en un autre.
error-password-weak = Ce mot de passe est trop facile à deviner. Ajoutez quelques mots inhabituels : une courte phrase à vous est solide et facile à retenir.
error-password-repeated = Les caractères répétés (comme « aaaa » ou « abcabc ») sont faciles à deviner. Ajoutez quelques mots inhabituels.
error-password-sequence = Les suites et les rangées de touches (comme « 1234 », « abcd » ou « azerty ») sont faciles à deviner. Ajoutez quelques mots inhabituels.
error-password-email = Ce mot de passe contient votre adresse e-mail ou une partie, ce qui est facile à deviner. Choisissez autre chose.
error-password-locked = Trop de mots de passe erronés : attendez quelques minutes avant de réessayer.
error-busy = Trop de connexions en ce moment. Réessayez dans quelques secondes.
error-password-mismatch = Les deux mots de passe sont différents.
error-password-wrong = Ce mot de passe n'est pas le bon.
error-login-failed = Adresse e-mail ou mot de passe incorrect.
error-locked = Trop de tentatives échouées. Réessayez dans { $minutes } minute(s).
error-choice = Choisissez l'une des options proposées.
error-own-role = Vous ne pouvez pas changer votre propre rôle.

## Messages après une action
flash-registered = Inscription reçue. Bienvenue ! Si cette adresse avait déjà un compte, il est inchangé : connectez-vous avec son mot de passe.
flash-logged-in = Vous êtes connecté·e.
flash-logged-out = Vous êtes déconnecté·e.
flash-password-changed = Votre mot de passe est changé. Vos autres sessions ont été fermées.
flash-account-deleted = Votre compte est supprimé.
flash-role-changed = Le rôle est changé.

# A date typed in three boxes (day, month, year).
date-day = Jour
date-month = Mois
date-year = Année
date-error-day-missing = La date doit comporter un jour.
date-error-month-missing = La date doit comporter un mois.
date-error-year-missing = La date doit comporter une année.
date-error-day = Le jour doit être un nombre de 1 à 31.
date-error-month = Le mois doit être un nombre de 1 à 12, ou son nom.
date-error-year = L'année doit avoir quatre chiffres, à partir de 1900, par exemple 2026.
date-error-year-short = Écrivez l'année avec quatre chiffres, par exemple 2026.
date-error-real = Ce jour n'existe pas dans ce mois.
date-error-future = Cette date est dans le futur.

# Every page: the title's prefix when a form came back with errors, the search engines' summary.
title-error = Erreur :
meta-description = Recours aide les abonnés télécoms à réclamer un remboursement à leur opérateur pas à pas, avec les lettres et les délais, et publie des statistiques anonymes de plaintes par opérateur.

# Pays de résidence (choisit les étapes de recours)
hint-residence = Le pays où vous vivez. Il décide des organismes que vous pouvez saisir après votre opérateur. Choisissez « Autre pays » si le vôtre n'est pas dans la liste.
error-country-unknown = Choisissez dans la liste le pays où vous vivez.
account-country-title = Pays où vous vivez
account-country-submit = Enregistrer le pays
flash-country-saved = Votre pays est enregistré. Vos réclamations suivent ses étapes de recours.
country-FR = France
country-BE = Belgique
country-LU = Luxembourg
country-CH = Suisse
country-MC = Monaco
country-MA = Maroc
country-TN = Tunisie
country-DZ = Algérie
country-GB = Royaume-Uni
country-ZZ = Autre pays

## Le second facteur des comptes d'équipe, d'évaluation et d'administration
page-code-title = Votre code d'authentification
code-explain = Votre compte ouvre les dossiers d'autres personnes : un mot de passe ne suffit pas. Saisissez le code qu'affiche maintenant votre application d'authentification, ou l'un de vos codes de secours.
field-code = Code
hint-code = 6 chiffres de l'application, ou un code de secours comme abcde-fghjk.
code-submit = Continuer
code-cancel = Annuler et se déconnecter
page-enrol-title = Configurez votre application d'authentification
enrol-explain = Les comptes d'équipe, d'évaluation et d'administration ouvrent les dossiers d'autres personnes : chaque connexion demande, en plus du mot de passe, un code d'une application sur votre téléphone. Configurez-la une fois maintenant.
enrol-step-app = Installez une application d'authentification (une application TOTP comme FreeOTP, Aegis ou Google Authenticator) sur votre téléphone.
enrol-step-scan = Dans l'application, ajoutez un compte en scannant ce QR code.
enrol-qr-label = QR code contenant la clé secrète affichée ci-dessous
enrol-secret-intro = Ou saisissez cette clé secrète dans l'application (elle n'est affichée que pendant la configuration) :
enrol-step-confirm = Saisissez le code à 6 chiffres affiché par l'application pour confirmer.
hint-enrol-code = Les 6 chiffres affichés maintenant par l'application.
enrol-submit = Confirmer
page-recovery-codes-title = Vos codes de secours
recovery-codes-once = Notez ou imprimez ces codes maintenant : ils ne seront plus affichés.
recovery-codes-use = Sans votre téléphone, saisissez l'un d'eux à la place du code de l'application. Chacun ne sert qu'une fois.
recovery-codes-continue = Je les ai gardés : continuer
error-code-format = Saisissez les 6 chiffres de l'application, ou un code de secours.
error-code-wrong = Ce code n'est pas le bon. Vérifiez l'heure de votre téléphone, ou utilisez un code de secours.
error-code-used = Ce code a déjà servi : attendez le suivant.
error-code-locked = Trop de codes erronés : attendez quelques minutes avant de réessayer.
account-second-factor-title = Application d'authentification et codes de secours
account-recovery-left = Codes de secours restants : { $count }
account-recovery-renew-explain = De nouveaux codes remplacent les anciens, qui ne fonctionnent plus.
account-recovery-renew = Obtenir de nouveaux codes de secours
admin-second-factor = Application d'authentification
admin-second-factor-none = Non configurée
admin-second-factor-reset = Réinitialiser
admin-second-factor-reset-for = Réinitialiser l'application d'authentification de { $email }
error-own-second-factor = Vous ne pouvez pas réinitialiser votre propre application d'authentification.
flash-second-factor-reset = L'application d'authentification est réinitialisée : le compte la configurera de nouveau à sa prochaine connexion.
admin-account-audit-title = Modifications apportées aux comptes
admin-account-audit-empty = Aucune modification pour l'instant.
admin-account-audit-by = par { $actor }
audit-second-factor-reset = application d'authentification réinitialisée
