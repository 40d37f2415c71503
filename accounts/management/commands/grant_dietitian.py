from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import User


class Command(BaseCommand):
    help = "Make an account a dietitian (or, with --revoke, take the role away)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--revoke", action="store_true", help="remove the dietitian role")

    def handle(self, *args, email: str, revoke: bool, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the e-mail address {email!r}.")
        services.dietitian_role_set(user=user, granted=not revoke)
        if revoke:
            self.stdout.write(f"{user.email} is no longer a dietitian.")
        else:
            self.stdout.write(
                f"{user.email} is now a dietitian. They need two-factor authentication "
                "turned on before they can open /clinic/."
            )
