from notifier.providers.sandbox.adapter import SandboxProvider

__all__ = ["SandboxProvider"]
