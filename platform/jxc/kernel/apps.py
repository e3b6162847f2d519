from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "jxc.kernel"
    label = "kernel"

    def ready(self) -> None:
        from jxc import fallbacks

        fallbacks.log_notices()
