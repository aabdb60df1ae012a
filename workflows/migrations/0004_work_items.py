"""The work page's read model, filled from the tasks already open (a database of the previous release)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


OPEN = ("NEW", "ASSIGNED", "STARTED")


def fill_from_open_tasks(apps, schema_editor):
    Task = apps.get_model("viewflow", "Task")
    Candidate = apps.get_model("admission", "Candidate")
    WorkItem = apps.get_model("workflows", "WorkItem")
    tasks = Task.objects.filter(status__in=OPEN, flow_task_type="HUMAN", owner_permission_obj_pk__isnull=False)
    tasks = tasks.select_related("process").iterator(chunk_size=2000)
    paths = dict(Candidate.objects.values_list("pk", "cell__path"))
    batch = []
    for task in tasks:
        candidate_pk = task.process.artifact_object_id
        if candidate_pk not in paths or not task.owner_permission_obj_pk:
            continue
        node = task.flow_task
        due = (task.data or {}).get("due_on")
        batch.append(
            WorkItem(
                task_id=task.pk,
                candidate_id=candidate_pk,
                org_id=int(task.owner_permission_obj_pk),
                cell_path=paths[candidate_pk] or "",
                flow=node.flow_class.__name__,
                node=node.name,
                due_on=due or None,
                created=task.created,
            )
        )
    WorkItem.objects.bulk_create(batch, batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('admission', '0010_delegation_moves_to_party'),
        ('viewflow', '0015_task_scheduled'),
        ('workflows', '0003_probation_process'),
    ]

    operations = [
        migrations.CreateModel(
            name='WorkItem',
            fields=[
                ('task', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='work_item', serialize=False, to='viewflow.task')),
                ('cell_path', models.CharField(max_length=400)),
                ('flow', models.CharField(max_length=100)),
                ('node', models.CharField(max_length=100)),
                ('due_on', models.DateField(blank=True, null=True)),
                ('created', models.DateTimeField()),
                ('marked_until', models.DateTimeField(blank=True, null=True)),
                ('marked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('candidate', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='admission.candidate')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='admission.partyorg')),
            ],
            options={
                'verbose_name': 'open step',
                'verbose_name_plural': 'open steps',
                'indexes': [models.Index(fields=['org', 'due_on'], name='workitem_org_due'), models.Index(fields=['cell_path'], name='workitem_cell_path')],
            },
        ),
        migrations.RunPython(fill_from_open_tasks, migrations.RunPython.noop),
    ]
