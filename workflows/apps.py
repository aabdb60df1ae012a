from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self) -> None:
        from admission.probation.signals import probation_changed
        from workflows import services

        def follow(sender: object, candidate: object, **kwargs: object) -> None:
            services.probation_sync(candidate)  # type: ignore[arg-type]

        probation_changed.connect(follow, dispatch_uid="workflows.probation_sync", weak=False)

        # A restructuring moves the open tasks of the cases it concerns to the successors' queues, in its transaction.
        from admission.restructuring.signals import restructuring_applied
        from workflows.restructuring import tasks_follow_restructuring

        def restructured(
            sender: object, operation: object, candidate_ids: list[int], org_ids: list[int], **kw: object
        ) -> None:
            tasks_follow_restructuring(operation=operation, candidate_ids=candidate_ids, org_ids=org_ids)

        restructuring_applied.connect(restructured, dispatch_uid="workflows.restructuring", weak=False)

        # The work page's read model follows every save of a task, in the same transaction.
        from django.db.models.signals import post_save
        from viewflow.workflow.models import Process, Task

        from admission.core.request_cache import request_forget
        from workflows.worklist import work_item_sync

        def task_saved(sender: object, instance: Task, **kwargs: object) -> None:
            work_item_sync(instance)
            request_forget("open_tasks")

        post_save.connect(task_saved, sender=Task, dispatch_uid="workflows.work_item_sync", weak=False)

        def process_saved(sender: object, **kwargs: object) -> None:
            request_forget("open_tasks")  # a new process (the sourcing flow hands over to admission) has other tasks

        post_save.connect(process_saved, sender=Process, dispatch_uid="workflows.open_tasks_process", weak=False)
