"""Every account gets its diary's state row when it is created, as it gets its profile."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import User
from nutrition.diary.models import DiaryState


def diary_state_ensure(user_id: int) -> None:
    """The one place a DiaryState is made (also for accounts from before it existed)."""
    DiaryState.objects.get_or_create(user_id=user_id)


@receiver(post_save, sender=User)
def create_diary_state(sender, instance: User, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        diary_state_ensure(instance.pk)
