from django.urls import re_path

from protection_dashboard.content.protection_schedules import views

urlpatterns = [
    re_path(r'^$', views.IndexView.as_view(), name='index'),
    re_path(r'^create/$', views.CreateView.as_view(), name='create'),
    re_path(r'^preview/$', views.PreviewView.as_view(), name='preview'),
    re_path(r'^(?P<schedule_id>[^/]+)/$', views.DetailView.as_view(), name='detail'),
    re_path(r'^(?P<schedule_id>[^/]+)/update/$', views.UpdateView.as_view(), name='update'),
]
