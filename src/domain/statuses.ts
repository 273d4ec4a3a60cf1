export const milestoneStatuses = ["not_started", "in_progress", "done", "blocked"] as const;
export type MilestoneStatus = (typeof milestoneStatuses)[number];

export const roles = ["pic", "kepala", "koordinator"] as const;
export type Role = (typeof roles)[number];
