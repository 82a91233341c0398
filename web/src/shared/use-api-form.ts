import { type FormValidateInput, type UseFormReturnType, useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { ApiError } from '../api/api-error.ts'

/**
 * A Mantine form whose submit calls the API: `validation_failed` details land on the field they
 * name (`goals.0.key` included), anything else shows above the form in words.
 */
export function useApiForm<Values extends Record<string, unknown>, Result>(options: {
  initialValues: Values
  validate?: FormValidateInput<Values>
  save: (values: Values) => Promise<Result>
  saved: (result: Result) => void | Promise<void>
  message: string
}): {
  form: UseFormReturnType<Values>
  onSubmit: (event?: React.FormEvent<HTMLFormElement>) => void
  error: string | undefined
  busy: boolean
} {
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: options.initialValues,
    validate: options.validate,
  })
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const onSubmit = form.onSubmit(async (values) => {
    setBusy(true)
    setError(undefined)
    try {
      const result = await options.save(values)
      notifications.show({
        message: options.message,
        color: 'green',
        closeButtonProps: { 'aria-label': 'Dismiss' },
      })
      await options.saved(result)
    } catch (failure) {
      if (failure instanceof ApiError) {
        const keys = Object.keys(flatKeys(values))
        const placed = failure
          .fieldProblems()
          .map((p) => ({ ...p, key: fieldFor(p.field, keys) }))
          .filter((p): p is typeof p & { key: string } => p.key !== undefined)
        form.setErrors(Object.fromEntries(placed.map((p) => [p.key, p.message])))
        setError(
          placed.length > 0 ? `${failure.message}. See the fields marked below.` : failure.message,
        )
      } else {
        setError(failure instanceof Error ? failure.message : String(failure))
      }
    } finally {
      setBusy(false)
    }
  })
  return { form, onSubmit, error, busy }
}

/** The form field a problem belongs to: its own path, or the nearest field holding it. */
function fieldFor(field: string, keys: string[]): string | undefined {
  return keys
    .filter((key) => field === key || field.startsWith(`${key}.`))
    .sort((a, b) => b.length - a.length)[0]
}

/** `{a: {b: 1}, c: [{d: 2}]}` → keys `a`, `a.b`, `c`, `c.0`, `c.0.d`: the paths a field can have. */
function flatKeys(
  value: unknown,
  prefix = '',
  into: Record<string, true> = {},
): Record<string, true> {
  if (typeof value !== 'object' || value === null) return into
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key
    into[path] = true
    flatKeys(inner, path, into)
  }
  return into
}
