from django.urls import re_path

from protection_dashboard.content.admin_protection_schedules import views

urlpatterns = [
    re_path(r'^$', views.IndexView.as_view(), name='index'),
]
